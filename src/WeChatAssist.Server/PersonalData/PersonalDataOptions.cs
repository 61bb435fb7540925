namespace WeChatAssist.Server.PersonalData;

/// <summary><c>PersonalData:*</c>: the keys that encrypt names and 身份证 numbers at rest and hash them for lookup.</summary>
internal sealed class PersonalDataOptions
{
    public const string SectionName = "PersonalData";

    /// <summary>Encryption keys by id, each base64 of 32 bytes. Old ids stay so old rows remain readable.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key id new values are encrypted with.</summary>
    public string ActiveKeyId { get; set; } = "";

    /// <summary>Base64 of at least 32 bytes: the HMAC-SHA256 key of the lookup hash. Never rotated in place: the
    /// hashes in the registry depend on it.</summary>
    public string LookupKey { get; set; } = "";

    /// <summary>Whether any key is set; with none, the registry, binding and staff resident reads are switched off.</summary>
    public bool IsConfigured => Keys.Count > 0 || !string.IsNullOrWhiteSpace(ActiveKeyId) || !string.IsNullOrWhiteSpace(LookupKey);
}
