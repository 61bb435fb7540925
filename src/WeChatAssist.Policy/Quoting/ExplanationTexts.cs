using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace WeChatAssist.Policy;

/// <summary>The Chinese sentence templates of explanation steps, loaded from the embedded data file.</summary>
internal sealed class ExplanationTexts
{
    private const string ResourceName = "WeChatAssist.Policy.Explanations.explanations.zh-Hans.yaml";
    private static readonly Lazy<ExplanationTexts> Lazy = new(LoadEmbedded);
    private readonly string[] _templates;

    private ExplanationTexts(string[] templates) => _templates = templates;

    public static ExplanationTexts Default => Lazy.Value;

    public string Render(in ExplanationStep step)
    {
        var template = _templates[(int)step.Kind];
        return template
            .Replace("{tier}", TierName(step.Number), StringComparison.Ordinal)
            .Replace("{n}", step.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{fen1}", PolicyFormat.Yuan(step.Fen1), StringComparison.Ordinal)
            .Replace("{fen2}", PolicyFormat.Yuan(step.Fen2), StringComparison.Ordinal)
            .Replace("{month1}", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{step.Date1.Year}年{step.Date1.Month}月"), StringComparison.Ordinal)
            .Replace("{date1}", PolicyFormat.Date(step.Date1), StringComparison.Ordinal)
            .Replace("{date2}", PolicyFormat.Date(step.Date2), StringComparison.Ordinal)
            .Replace("{subject}", step.Subject ?? string.Empty, StringComparison.Ordinal)
            .Replace("{clause}", step.Citation.Numbering, StringComparison.Ordinal);
    }

    /// <summary>The notices write tiers as 一档 and 二档.</summary>
    private static string TierName(int tier) => tier switch
    {
        1 => "一档",
        2 => "二档",
        _ => tier.ToString(System.Globalization.CultureInfo.InvariantCulture) + "档",
    };

    private static ExplanationTexts LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var kinds = Enum.GetValues<ExplanationKind>();
        var templates = new string[kinds.Length];
        foreach (var kind in kinds)
        {
            templates[(int)kind] = root.Children.TryGetValue(new YamlScalarNode(kind.ToString()), out var node) && node is YamlScalarNode { Value: { } v }
                ? v
                : throw new InvalidOperationException($"explanation template '{kind}' is missing from {ResourceName}");
        }

        return new ExplanationTexts(templates);
    }
}
