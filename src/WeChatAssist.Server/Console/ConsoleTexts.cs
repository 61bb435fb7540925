using System.Text.Json;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>The console's Chinese interface text, from <c>localization/console.zh-Hans.json</c> (a flat key → text map).</summary>
internal sealed class ConsoleTexts
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "localization/console.zh-Hans.json";

    private readonly Dictionary<string, string> _texts;

    private ConsoleTexts(Dictionary<string, string> texts) => _texts = texts;

    public static ConsoleTexts LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return new ConsoleTexts(JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? throw new InvalidDataException($"{path}: empty file"));
    }

    /// <summary>The text of <paramref name="key"/>; a missing key is a programming error and throws.</summary>
    public string this[string key] => _texts.TryGetValue(key, out var text) ? text : throw new KeyNotFoundException($"{FileName}: no text '{key}'");

    /// <summary>All texts, for the page script.</summary>
    public IReadOnlyDictionary<string, string> All => _texts;
}
