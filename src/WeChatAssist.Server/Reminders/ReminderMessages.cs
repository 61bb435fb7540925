using WeChatAssist.Server.Templating;
using YamlDotNet.RepresentationModel;

namespace WeChatAssist.Server.Reminders;

/// <summary>A message ready to send: the template and its keyword values.</summary>
internal sealed record RenderedMessage(string TemplateId, IReadOnlyDictionary<string, string> Data);

/// <summary>The Scriban message templates of <c>templates/reminders/messages.zh-Hans.yaml</c>, one per kind.</summary>
internal sealed class ReminderMessages
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "templates/reminders/messages.zh-Hans.yaml";

    private readonly Dictionary<string, (string TemplateId, (string Field, TextTemplate Render)[] Fields)> _kinds;

    private ReminderMessages(Dictionary<string, (string, (string, TextTemplate)[])> kinds) => _kinds = kinds;

    /// <summary>Loads and compiles the file; <paramref name="templateIds"/> overrides template ids per kind. Every
    /// kind of <see cref="ReminderKinds.All"/> must be present.</summary>
    public static ReminderMessages Load(string path, IReadOnlyDictionary<string, string> templateIds)
    {
        ArgumentNullException.ThrowIfNull(templateIds);
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        var kinds = new Dictionary<string, (string, (string, TextTemplate)[])>(StringComparer.Ordinal);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (var (key, value) in root.Children)
        {
            var kind = ((YamlScalarNode)key).Value!;
            var entry = (YamlMappingNode)value;
            var templateId = templateIds.TryGetValue(kind, out var configured) ? configured : Scalar(entry, "templateId", path, kind);
            var fields = ((YamlMappingNode)entry.Children[new YamlScalarNode("fields")]).Children
                .Select(f => (((YamlScalarNode)f.Key).Value!, Parse(((YamlScalarNode)f.Value).Value ?? "", $"{path} {kind}.{((YamlScalarNode)f.Key).Value}")))
                .ToArray();
            kinds[kind] = (templateId, fields);
        }

        var missing = ReminderKinds.All.Where(k => !kinds.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{path}: no message for kind(s) {string.Join(", ", missing)}");
        }

        return new ReminderMessages(kinds);
    }

    /// <summary>The template id used for <paramref name="kind"/>.</summary>
    public string TemplateId(string kind) =>
        _kinds.TryGetValue(kind, out var message) ? message.TemplateId : throw new KeyNotFoundException($"{FileName}: no message for kind '{kind}'");

    /// <summary>Renders the message of <paramref name="kind"/> with <paramref name="model"/>'s values.</summary>
    public RenderedMessage Render(string kind, IReadOnlyDictionary<string, object?> model)
    {
        if (!_kinds.TryGetValue(kind, out var message))
        {
            throw new KeyNotFoundException($"{FileName}: no message for kind '{kind}'");
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, render) in message.Fields)
        {
            data[field] = render.Render(model).Trim();
        }

        return new RenderedMessage(message.TemplateId, data);
    }

    private static TextTemplate Parse(string text, string source)
    {
        try
        {
            return TextTemplate.Parse(text, source);
        }
        catch (TemplateException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    private static string Scalar(YamlMappingNode node, string key, string path, string kind) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { Length: > 0 } text }
            ? text
            : throw new InvalidDataException($"{path}: kind '{kind}' has no {key}");
}
