using System.Text.Json;

namespace WeChatAssist.Server.Policies;

/// <summary>Titles and detail templates of the policy API's problem responses, from <c>localization/</c>.</summary>
internal sealed class ProblemTexts
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "localization/policy-api.zh-Hans.json";

    private readonly Dictionary<string, ProblemText> _texts;
    private readonly Dictionary<string, string> _facts;

    private ProblemTexts(Dictionary<string, ProblemText> texts, Dictionary<string, string> facts)
    {
        _texts = texts;
        _facts = facts;
    }

    public static ProblemTexts LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<ProblemTextFile>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{path}: empty file");
        return new ProblemTexts(file.Problems, file.Facts);
    }

    /// <summary>The title and the detail with <c>{name}</c> placeholders filled in.</summary>
    public (string Title, string Detail) Render(string key, IReadOnlyDictionary<string, string> values)
    {
        if (!_texts.TryGetValue(key, out var text))
        {
            throw new KeyNotFoundException($"{FileName}: no problem text '{key}'");
        }

        var detail = text.Detail;
        foreach (var (name, value) in values)
        {
            detail = detail.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return (text.Title, detail);
    }

    /// <summary>A problem+json result with the localized title and detail and the key as its <c>code</c> extension;
    /// every feature's texts (corrections, links, reminders, mini-program) answer their problems through it.</summary>
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string key, params (string Name, object Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (title, detail) = Render(key, values.ToDictionary(v => v.Name, v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = key });
    }

    /// <summary>How to ask a resident for a fact the engine needs (keyed by query parameter name).</summary>
    public string Fact(string parameter) => _facts.GetValueOrDefault(parameter, parameter);

    private sealed record ProblemText(string Title, string Detail);

    private sealed record ProblemTextFile(Dictionary<string, ProblemText> Problems, Dictionary<string, string> Facts);
}
