namespace WeChatAssist.Server.Scheduling;

/// <summary>The job storage cannot be used at start-up; the message is one line meant for the operator.</summary>
internal sealed class JobStorageStartupException : Exception
{
    public JobStorageStartupException(string message)
        : base(message)
    {
    }

    public JobStorageStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public JobStorageStartupException()
    {
    }
}
