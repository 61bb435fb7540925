using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace WeChatAssist.Policy;

/// <summary>One reason a policy file is rejected, placed as compilers place theirs: <c>file:line:column: reason</c>.</summary>
public sealed record PolicyFault(string File, int Line, int Column, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => Column > 0 ? $"{File}:{Line}:{Column}: {Reason}" : $"{File}:{Line}: {Reason}";

    internal static PolicyFault From(PolicyLoadException e) => new(e.FileName, e.Line, e.Column, e.Reason);
}

/// <summary>The outcome of checking one policy file: the loaded policy, or the fault that stopped the loader.</summary>
public sealed record PolicyCheckResult(string File, InsurancePolicy? Policy, IReadOnlyList<PolicyFault> Faults)
{
    /// <summary>The national layer, when the checked file is one (<c>policy check</c> on <c>Policies/national/*.yaml</c>).</summary>
    public NationalLayer? National { get; init; }

    /// <summary>Whether the file loads without a fault.</summary>
    public bool Ok => Faults.Count == 0 && (Policy is not null || National is not null);
}

/// <summary>
/// The loader's checks for authoring (<c>policy check</c>, uploaded drafts): raw bytes are refused when too large or
/// not UTF-8 before YAML is parsed, then the loader runs and its first fault is returned with line and column.
/// </summary>
public static class PolicyCheck
{
    /// <summary>Largest policy file accepted (the longest shipped notice is about 30 KB).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Checks a file on disk.</summary>
    public static PolicyCheckResult CheckFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return new(path, null, [new PolicyFault(path, 0, 0, "no such file")]);
        }

        return Check(File.ReadAllBytes(path), path, nationalLayers: true);
    }

    /// <summary>Checks uploaded or read bytes: size, UTF-8, then the loader.</summary>
    public static PolicyCheckResult Check(ReadOnlySpan<byte> content, string fileName) => Check(content, fileName, nationalLayers: false);

    // Drafts are county policies; a national layer travels with the engine, so only files on disk may be one.
    private static PolicyCheckResult Check(ReadOnlySpan<byte> content, string fileName, bool nationalLayers)
    {
        if (content.Length > MaxBytes)
        {
            return new(fileName, null, [new PolicyFault(fileName, 0, 0, $"the file is {content.Length:N0} bytes; a policy file may be at most {MaxBytes:N0} bytes (1 MB)")]);
        }

        var body = content.StartsWith(Encoding.UTF8.Preamble) ? content[3..] : content;
        var chars = new char[body.Length];
        if (Utf8.ToUtf16(body, chars, out var read, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            var (line, column) = Position(body, read);
            return new(fileName, null, [new PolicyFault(fileName, line, column, "the file is not UTF-8 text (save it as UTF-8; GBK and UTF-16 are not accepted)")]);
        }

        var text = new string(chars, 0, written);
        return nationalLayers && NationalLayers.IsNationalLayer(text) ? CheckNational(text, fileName) : Check(text, fileName);
    }

    /// <summary>Checks a national layer's YAML text (<c>Policies/national/*.yaml</c>).</summary>
    public static PolicyCheckResult CheckNational(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        try
        {
            return new(fileName, null, []) { National = NationalLayers.Load(new StringReader(yaml), fileName) };
        }
        catch (PolicyLoadException e)
        {
            return new(fileName, null, [PolicyFault.From(e)]);
        }
    }

    /// <summary>Checks YAML text.</summary>
    public static PolicyCheckResult Check(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        try
        {
            var policy = PolicyLoader.Load(new StringReader(yaml), fileName);
            return new(fileName, policy, []);
        }
        catch (PolicyLoadException e)
        {
            return new(fileName, null, [PolicyFault.From(e)]);
        }
    }

    private static (int Line, int Column) Position(ReadOnlySpan<byte> content, int index)
    {
        if (index < 0 || index > content.Length)
        {
            return (0, 0);
        }

        var before = content[..index];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        // Columns count characters, as the YAML parser's do.
        var column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        return (line, column);
    }
}
