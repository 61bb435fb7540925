using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WeChatAssist.Server.Localization;

/// <summary>The problem texts of one feature (titles and detail templates of its problem+json answers, and the words
/// it shows), from <c>localization/{key}.zh-Hans.json</c>. Every feature's texts are one keyed singleton of this class,
/// so a handler asks for <c>[FromKeyedServices(ProblemTextKeys.Links)] ProblemTexts texts</c>; the texts themselves
/// never live in C#.</summary>
internal sealed class ProblemTexts
{
    private readonly string _fileName;
    private readonly Dictionary<string, ProblemText> _texts;
    private readonly Dictionary<string, string> _words;

    private ProblemTexts(string fileName, Dictionary<string, ProblemText> texts, Dictionary<string, string> words)
    {
        _fileName = fileName;
        _texts = texts;
        _words = words;
    }

    /// <summary>The file of a feature's texts, relative to the binaries.</summary>
    public static string FileFor(string key) => $"localization/{key}.zh-Hans.json";

    /// <summary>Reads a texts file: its <c>problems</c> (key → title and detail) and its <c>facts</c> (key → word);
    /// other sections of the file belong to the feature and are ignored here.</summary>
    public static ProblemTexts LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<ProblemTextFile>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{path}: empty file");
        return new ProblemTexts(Path.GetFileName(path), file.Problems ?? throw new InvalidDataException($"{path}: no problems section"), file.Facts ?? []);
    }

    /// <summary>The title and the detail with <c>{name}</c> placeholders filled in.</summary>
    public (string Title, string Detail) Render(string key, IReadOnlyDictionary<string, string> values)
    {
        if (!_texts.TryGetValue(key, out var text))
        {
            throw new KeyNotFoundException($"{_fileName}: no problem text '{key}'");
        }

        var detail = text.Detail;
        foreach (var (name, value) in values)
        {
            detail = detail.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return (text.Title, detail);
    }

    /// <summary>The title and the detail with <c>{name}</c> placeholders filled in.</summary>
    public (string Title, string Detail) Render(string key, params (string Name, object Value)[] values) => Render(key, Strings(values));

    /// <summary>A localized sentence (the detail of <paramref name="key"/>) with its placeholders filled.</summary>
    public string Detail(string key, params (string Name, object Value)[] values) => Render(key, values).Detail;

    /// <summary>The title of <paramref name="key"/> (e.g. a link's label).</summary>
    public string Title(string key) => Render(key, new Dictionary<string, string>()).Title;

    /// <summary>A problem+json result with the localized title and detail and the key as its <c>code</c> extension.</summary>
    public ProblemHttpResult Problem(int status, string key, params (string Name, object Value)[] values)
    {
        var (title, detail) = Render(key, values);
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = key });
    }

    /// <summary>A word shown to people, from the file's <c>facts</c>: how to ask for a fact the engine needs (keyed by
    /// query parameter name), a correction's field name (<c>field.name</c>) or outcome (<c>status.approved</c>).
    /// An unknown key answers itself.</summary>
    public string Word(string key) => _words.GetValueOrDefault(key, key);

    private static Dictionary<string, string> Strings((string Name, object Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var strings = new Dictionary<string, string>(values.Length, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            strings[name] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }

        return strings;
    }

    private sealed record ProblemText(string Title, string Detail);

    private sealed record ProblemTextFile(Dictionary<string, ProblemText>? Problems, Dictionary<string, string>? Facts);
}

/// <summary>The key of each feature's <see cref="ProblemTexts"/>: the name of its file in <c>localization/</c>.</summary>
internal static class ProblemTextKeys
{
    /// <summary>The policy API (<c>/api/v1/policies</c>).</summary>
    public const string Policies = "policy-api";

    /// <summary>The mini-program and the staff APIs that serve residents' records (binding, payments, staff accounts).</summary>
    public const string Residents = "miniprogram";

    public const string Links = "links";

    public const string PolicyDrafts = "policy-drafts";

    public const string Corrections = "corrections";

    /// <summary>The reminder and broadcast APIs.</summary>
    public const string Reminders = "reminders";

    public const string Imports = "imports";
}

/// <summary>Registers a feature's problem texts.</summary>
internal static class ProblemTextsExtensions
{
    /// <summary>Adds <c>localization/{key}.zh-Hans.json</c> as the keyed singleton <paramref name="key"/> (read on first use;
    /// a feature that must fail at start-up on a broken file resolves it in its start-up check).</summary>
    public static IServiceCollection AddProblemTexts(this IServiceCollection services, string key) =>
        services.AddKeyedSingleton(key, (_, _) => ProblemTexts.LoadFile(Path.Combine(AppContext.BaseDirectory, ProblemTexts.FileFor(key))));
}
