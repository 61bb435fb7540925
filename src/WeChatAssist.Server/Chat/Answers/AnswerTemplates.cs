using System.Text;
using System.Text.RegularExpressions;
using WeChatAssist.Server.Templating;

namespace WeChatAssist.Server.Chat.Answers;

/// <summary>The Scriban answer templates of <c>templates/chat/answers.{language}.scriban</c>; each file holds named
/// sections introduced by a comment line <c>{{## name ##}}</c>, and a section may <c>{{include "name"}}</c> another of
/// its file. Every section is parsed once at load. Blank lines and line-edge spaces are dropped after rendering, so
/// templates can be laid out for reading.</summary>
internal sealed partial class AnswerTemplates
{
    /// <summary>Folder of the files, relative to the binaries.</summary>
    public const string Folder = "templates/chat";

    private readonly Dictionary<(ChatLanguage, string), TextTemplate> _templates = [];
    private readonly Dictionary<ChatLanguage, Dictionary<string, TextTemplate>> _sections = [];

    private AnswerTemplates() { }

    /// <summary>Loads and compiles the three languages' files; a missing section in any language is a load error.</summary>
    public static AnswerTemplates Load(string folder)
    {
        var templates = new AnswerTemplates();
        HashSet<string>? names = null;
        foreach (var language in Enum.GetValues<ChatLanguage>())
        {
            var path = Path.Combine(folder, FileName(language));
            var sections = Split(File.ReadAllText(path), path);
            var parsed = new Dictionary<string, TextTemplate>(StringComparer.Ordinal);
            foreach (var (name, (line, body)) in sections)
            {
                try
                {
                    parsed[name] = TextTemplate.Parse(body, $"{path} section '{name}'");
                }
                catch (TemplateException e)
                {
                    // Name the line in the file, not in the section, so a translator finds it.
                    throw new InvalidDataException($"{path}({line + e.Line},{e.Column}): section '{name}': {e.Reason}", e);
                }

                templates._templates[(language, name)] = parsed[name];
            }

            templates._sections[language] = parsed;

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
            throw new KeyNotFoundException($"{Folder}/{FileName(language)}: no section '{name}'");
        }

        var text = template.Render(model, _sections[language]);
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

    /// <summary>The file of <paramref name="language"/>.</summary>
    public static string FileName(ChatLanguage language) => $"answers.{ChatLanguages.Code(language)}.scriban";

    /// <summary>The sections of a file: name → (line number of the header, 1-based, and the body).</summary>
    private static Dictionary<string, (int Line, string Body)> Split(string text, string path)
    {
        var sections = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        string? current = null;
        var currentLine = 0;
        var number = 0;
        var body = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            number++;
            var header = SectionHeader().Match(line.TrimEnd('\r'));
            if (header.Success)
            {
                if (current is not null)
                {
                    sections[current] = (currentLine, body.ToString());
                }

                currentLine = number;

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
            sections[current] = (currentLine, body.ToString());
        }

        return sections;
    }

    [GeneratedRegex(@"^\{\{## ([a-z_.]+) ##\}\}$")]
    private static partial Regex SectionHeader();
}
