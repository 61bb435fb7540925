namespace WeChatAssist.Policy;

/// <summary>Loads one policy YAML file, rejecting a bad file with <see cref="PolicyLoadException"/> (file, line, reason).</summary>
public static class PolicyLoader
{
    /// <summary>Loads a policy from YAML text; <paramref name="fileName"/> names the file in errors.</summary>
    public static InsurancePolicy Load(TextReader yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return PolicyFileReader.Read(yaml, fileName);
    }

    /// <summary>Loads a policy from a UTF-8 stream.</summary>
    public static InsurancePolicy Load(Stream yaml, string fileName)
    {
        using var reader = new StreamReader(yaml, leaveOpen: true);
        return PolicyFileReader.Read(reader, fileName);
    }

    /// <summary>Loads a policy from a file path.</summary>
    public static InsurancePolicy LoadFile(string path)
    {
        using var reader = new StreamReader(path);
        return PolicyFileReader.Read(reader, path);
    }
}
