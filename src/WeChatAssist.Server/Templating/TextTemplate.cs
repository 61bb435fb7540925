using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace WeChatAssist.Server.Templating;

/// <summary>How values written by a template's expressions reach the output.</summary>
internal enum TemplateOutput
{
    /// <summary>As they are (chat answers, message keywords, the group text).</summary>
    Text,

    /// <summary>HTML/XML-escaped (the landing page, the poster), unless the value is <see cref="RawMarkup"/>.</summary>
    Markup,
}

/// <summary>Markup the server built itself (a QR code's SVG) that a markup template writes without escaping.</summary>
internal sealed record RawMarkup(string Markup)
{
    /// <inheritdoc />
    public override string ToString() => Markup;
}

/// <summary>A Scriban template parsed once and rendered many times, from any thread.</summary>
/// <remarks>Templates follow the expectations of the people who write them rather than Scriban's defaults: an empty
/// text, zero and an empty list count as false in <c>if</c> (Scriban counts only null and false), and a model's keys
/// and members keep their exact names for dictionaries; .NET objects' members are snake_case
/// (<c>BenefitYear</c> → <c>benefit_year</c>), Scriban's convention.</remarks>
internal sealed class TextTemplate
{
    private readonly Template _template;

    private TextTemplate(Template template, string source, TemplateOutput output, TemplateSafety safety)
    {
        _template = template;
        Source = source;
        Output = output;
        Safety = safety;
    }

    /// <summary>Where the text came from (a file, a section, "template"), used in error messages.</summary>
    public string Source { get; }

    /// <summary>How expression values are written.</summary>
    public TemplateOutput Output { get; }

    /// <summary>The limits the template renders under.</summary>
    public TemplateSafety Safety { get; }

    /// <summary>The parsed syntax, for checks such as <see cref="TemplateSafety.Check"/>.</summary>
    public Template Parsed => _template;

    /// <summary>Parses <paramref name="text"/>; a syntax error throws <see cref="TemplateException"/> naming the line
    /// and column (1-based).</summary>
    public static TextTemplate Parse(string text, string source, TemplateOutput output = TemplateOutput.Text, TemplateSafety? safety = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var template = Template.Parse(text, source);
        if (template.HasErrors)
        {
            var error = template.Messages.FirstOrDefault(m => m.Type == ParserMessageType.Error) ?? template.Messages[0];
            throw new TemplateException(source, error.Span.Start.Line + 1, error.Span.Start.Column + 1, error.Message);
        }

        var result = new TextTemplate(template, source, output, safety ?? TemplateSafety.Trusted);
        result.Safety.Check(result);
        return result;
    }

    /// <summary>Renders with <paramref name="model"/>: a dictionary (keys as they are) or a .NET object (members
    /// snake_case). A runtime error (a loop over the limit, a forbidden call) throws <see cref="TemplateException"/>.</summary>
    public string Render(object? model, IReadOnlyDictionary<string, TextTemplate>? partials = null)
    {
        var context = RenderContext.Rent(this, partials);
        try
        {
            var globals = new ScriptObject();
            if (model is not null)
            {
                globals.Import(model);
            }

            context.PushGlobal(globals);
            return _template.Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw new TemplateException(Source, e.Span.Start.Line + 1, e.Span.Start.Column + 1, e.OriginalMessage);
        }
        finally
        {
            RenderContext.Return(context);
        }
    }
}

/// <summary>A template that does not parse, uses a forbidden construct or fails while rendering.</summary>
internal sealed class TemplateException : Exception
{
    public TemplateException(string templateSource, int line, int column, string reason)
        : base($"{templateSource}({line},{column}): {reason}")
    {
        TemplateSource = templateSource;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public TemplateException(string message)
        : this("template", 0, 0, message)
    {
    }

    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
        TemplateSource = "template";
        Reason = message;
    }

    public TemplateException()
        : this("template", 0, 0, "invalid template")
    {
    }

    /// <summary>Where the text came from.</summary>
    public string TemplateSource { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}
