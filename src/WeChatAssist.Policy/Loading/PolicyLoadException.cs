namespace WeChatAssist.Policy;

/// <summary>A policy file was rejected: says which file, which line and why.</summary>
public sealed class PolicyLoadException : Exception
{
    /// <summary>Creates an empty load error.</summary>
    public PolicyLoadException() : this("(unknown)", 0, "policy file rejected") { }

    /// <summary>Creates a load error with a message only.</summary>
    public PolicyLoadException(string message) : this("(unknown)", 0, message) { }

    /// <summary>Creates a load error wrapping another exception.</summary>
    public PolicyLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "(unknown)";
        Reason = message;
    }

    /// <summary>Creates a load error for a file, line and reason.</summary>
    public PolicyLoadException(string fileName, int line, string reason, Exception? innerException = null)
        : this(fileName, line, 0, reason, innerException)
    {
    }

    /// <summary>Creates a load error for a file, line, column and reason (<c>file:line:column: reason</c>, as compilers write it).</summary>
    public PolicyLoadException(string fileName, int line, int column, string reason, Exception? innerException = null)
        : base(column > 0 ? $"{fileName}:{line}:{column}: {reason}" : $"{fileName}:{line}: {reason}", innerException)
    {
        FileName = fileName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The rejected file.</summary>
    public string FileName { get; }

    /// <summary>1-based line of the offending node (0 when unknown).</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending node (0 when unknown).</summary>
    public int Column { get; }

    /// <summary>Why the file was rejected.</summary>
    public string Reason { get; }
}
