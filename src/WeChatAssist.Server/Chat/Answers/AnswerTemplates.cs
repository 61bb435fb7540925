using System.Text;
using System.Text.RegularExpressions;
using HandlebarsDotNet;

namespace WeChatAssist.Server.Chat.Answers;

/// <summary>The Handlebars answer templates of <c>templates/chat/answers.{language}.hbs</c>; each file holds named
/// sections introduced by a comment line <c>{{!-- name --}}</c>. Blank lines and line-edge spaces are dropped after
/// rendering, so templates can be laid out for reading.</summary>
internal sealed partial class AnswerTemplates
{
    /// <summary>Folder of the files, relative to the binaries.</summary>
    public const string Folder = "templates/chat";

    private readonly Dictionary<(ChatLanguage, string), HandlebarsTemplate<object, object>> _templates = [];

    private AnswerTemplates() { }

    /// <summary>Loads and compiles the three languages' files; a missing section in any language is a load error.</summary>
    public static AnswerTemplates Load(string folder)
    {
        var templates = new AnswerTemplates();
        HashSet<string>? names = null;
        foreach (var language in Enum.GetValues<ChatLanguage>())
        {
            var path = Path.Combine(folder, $"answers.{ChatLanguages.Code(language)}.hbs");
            var sections = Split(File.ReadAllText(path), path);
            var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });
            foreach (var (name, body) in sections)
            {
                handlebars.RegisterTemplate(name, body);
            }

            foreach (var (name, body) in sections)
            {
                templates._templates[(language, name)] = handlebars.Compile(body);
            }

            if (names is null)
            {
                names = [.. sections.Keys];
            }
            else if (!names.SetEquals(sections.Keys))
            {
                var missing = string.Join(", ", names.Except(sections.Keys).Concat(sections.Keys.Except(names)));
                throw new InvalidDataException($"{path}: sections differ from the Simplified Chinese file: {missing}");
            }
        }

        return templates;
    }

    /// <summary>Renders section <paramref name="name"/> in <paramref name="language"/>.</summary>
    public string Render(ChatLanguage language, string name, object model)
    {
        if (!_templates.TryGetValue((language, name), out var template))
        {
            throw new KeyNotFoundException($"{Folder}/answers.{ChatLanguages.Code(language)}.hbs: no section '{name}'");
        }

        var text = template(model);
        var builder = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                if (builder.Length > 0)
                {
                    builder.Append('\n');
                }

                builder.Append(trimmed);
            }
        }

        return builder.ToString();
    }

    private static Dictionary<string, string> Split(string text, string path)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var body = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var header = SectionHeader().Match(line.TrimEnd('\r'));
            if (header.Success)
            {
                if (current is not null)
                {
                    sections[current] = body.ToString();
                }

                current = header.Groups[1].Value;
                if (sections.ContainsKey(current))
                {
                    throw new InvalidDataException($"{path}: section '{current}' appears twice.");
                }

                body.Clear();
            }
            else if (current is not null)
            {
                body.Append(line.TrimEnd('\r')).Append('\n');
            }
        }

        if (current is not null)
        {
            sections[current] = body.ToString();
        }

        return sections;
    }

    [GeneratedRegex(@"^\{\{!-- ([a-z_.]+) --\}\}$")]
    private static partial Regex SectionHeader();
}
