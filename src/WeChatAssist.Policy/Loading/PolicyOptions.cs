namespace WeChatAssist.Policy;

/// <summary>Where a bureau's own policy files live; bind from configuration and pass to <see cref="PolicyCatalog.Load(string?)"/>.</summary>
public sealed class PolicyOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Policies";

    /// <summary>Folder of extra <c>*.yaml</c> policy files (a file with a shipped id overrides it); null or empty for the shipped ones only.</summary>
    public string? Directory { get; set; }
}
