using System.Collections;
using System.Net;
using Scriban;
using Scriban.Functions;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace WeChatAssist.Server.Templating;

/// <summary>The Scriban context a <see cref="TextTemplate"/> renders in. Creating one builds Scriban's builtin
/// functions, so each thread keeps one per kind (trusted, staff) and resets it between renders.</summary>
internal sealed class RenderContext : TemplateContext
{
    [ThreadStatic]
    private static RenderContext? t_trusted;

    [ThreadStatic]
    private static RenderContext? t_staff;

    private readonly bool _staff;
    private IReadOnlyDictionary<string, TextTemplate>? _partials;
    private bool _escape;
    private bool _inUse;

    private RenderContext(bool staff)
        : base(staff ? StaffBuiltins() : null)
    {
        _staff = staff;
        StrictVariables = false;
        EnableRelaxedMemberAccess = true;
        TemplateLoader = staff ? null : new PartialLoader();
    }

    /// <summary>A context for <paramref name="template"/>: this thread's, or a new one when this thread is already
    /// rendering (a model value rendering another template).</summary>
    public static RenderContext Rent(TextTemplate template, IReadOnlyDictionary<string, TextTemplate>? partials)
    {
        var staff = template.Safety.IsStaff;
        var context = staff ? t_staff : t_trusted;
        if (context is null || context._inUse)
        {
            context = new RenderContext(staff);
            if (staff)
            {
                t_staff ??= context;
            }
            else
            {
                t_trusted ??= context;
            }
        }

        context._inUse = true;
        context._partials = staff ? null : partials;
        context._escape = template.Output == TemplateOutput.Markup;
        context.LoopLimit = template.Safety.LoopLimit;
        context.RecursiveLimit = template.Safety.RecursiveLimit;
        context.LimitToString = template.Safety.LimitToString;
        return context;
    }

    /// <summary>Clears <paramref name="context"/> for its thread's next render.</summary>
    public static void Return(RenderContext context)
    {
        context.Reset();
        context._partials = null;
        context._inUse = false;
    }

    /// <summary>Null, false, an empty text, zero and an empty list are false, as the people writing templates expect
    /// (Scriban alone treats only null and false as false).</summary>
    public override bool ToBool(SourceSpan span, object? value) => value switch
    {
        string text => text.Length > 0,
        int number => number != 0,
        long number => number != 0,
        decimal number => number != 0,
        double number => number != 0,
        ICollection collection => collection.Count > 0,
        _ => base.ToBool(span, value),
    };

    /// <summary>In a markup template every value is escaped unless the server marked it <see cref="RawMarkup"/>.</summary>
    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (!_escape || textAsObject is null or RawMarkup)
        {
            return base.Write(span, textAsObject);
        }

        var text = ObjectToString(textAsObject);
        return text is null ? this : Write(WebUtility.HtmlEncode(text));
    }

    /// <summary>An included section is the partial already parsed, never parsed again.</summary>
    protected override Template CreateTemplate(string templatePath, ScriptNode? callerContext)
    {
        if (_partials is not null && _partials.TryGetValue(templatePath, out var partial))
        {
            return partial.Parsed;
        }

        throw new ScriptRuntimeException(callerContext?.Span ?? CurrentSpan, $"no section '{templatePath}' to include");
    }

    private static BuiltinFunctions StaffBuiltins()
    {
        // Defence in depth behind TemplateSafety.Check: what a staff template must not call is not even there.
        var builtins = new BuiltinFunctions();
        builtins.Remove("include");
        builtins.Remove("include_join");
        if (builtins.TryGetValue("object", out var objectFunctions) && objectFunctions is ScriptObject functions)
        {
            functions.Remove("eval");
            functions.Remove("eval_template");
        }

        return builtins;
    }

    /// <summary>Names a section as its own path; <see cref="CreateTemplate"/> finds it among the partials.</summary>
    private sealed class PartialLoader : ITemplateLoader
    {
        public string? GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => templateName;

        public string? Load(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            throw new ScriptRuntimeException(callerSpan, $"no section '{templatePath}' to include");

        public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            throw new ScriptRuntimeException(callerSpan, $"no section '{templatePath}' to include");
    }
}
