namespace WeChatAssist.Server.Data;

/// <summary>The database cannot be used at start-up; the message is one line meant for the operator.</summary>
internal sealed class DatabaseStartupException : Exception
{
    public DatabaseStartupException(string message)
        : base(message)
    {
    }

    public DatabaseStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DatabaseStartupException()
    {
    }
}
