using Scriban.Syntax;

namespace WeChatAssist.Server.Templating;

/// <summary>What a template may do and how much it may cost. Templates in <c>templates/</c> are trusted; a template
/// written by staff in the console (a broadcast) is not: it may not include or import anything, nor evaluate text as
/// a template, and its loops, recursion and output are bounded so that a mistake cannot stall a dispatcher.</summary>
internal sealed class TemplateSafety
{
    private static readonly HashSet<string> ForbiddenFunctions = new(StringComparer.Ordinal) { "include", "include_join" };
    private static readonly HashSet<string> ForbiddenObjectMembers = new(StringComparer.Ordinal) { "eval", "eval_template" };

    private TemplateSafety(bool staff, int loopLimit, int recursiveLimit, int limitToString)
    {
        IsStaff = staff;
        LoopLimit = loopLimit;
        RecursiveLimit = recursiveLimit;
        LimitToString = limitToString;
    }

    /// <summary>The repository's own templates: Scriban's default limits, includes of sibling sections allowed.</summary>
    public static TemplateSafety Trusted { get; } = new(false, 1000, 100, 1024 * 1024);

    /// <summary>A staff template: no include, import or eval; at most 200 loop iterations in all, 10 nested calls,
    /// 2,000 characters of output (a WeChat keyword holds 20; a notice is far below that).</summary>
    public static TemplateSafety Staff { get; } = new(true, 200, 10, 2000);

    /// <summary>A template from staff, with the limits and the forbidden constructs of <see cref="Staff"/>.</summary>
    public bool IsStaff { get; }

    /// <summary>Total loop iterations of one render.</summary>
    public int LoopLimit { get; }

    /// <summary>Nested function calls and includes.</summary>
    public int RecursiveLimit { get; }

    /// <summary>Characters of output and of any one value converted to text.</summary>
    public int LimitToString { get; }

    /// <summary>Refuses a staff template that includes, imports or evaluates text, naming where.</summary>
    public void Check(TextTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!IsStaff || template.Parsed.Page is null)
        {
            return;
        }

        Walk(template.Parsed.Page, template.Source);
    }

    private static void Walk(ScriptNode node, string source)
    {
        var forbidden = node switch
        {
            ScriptImportStatement => "import is not allowed in a broadcast template",
            ScriptVariable { Name: var name } when ForbiddenFunctions.Contains(name) => $"{name} is not allowed in a broadcast template",
            ScriptMemberExpression { Target: ScriptVariable { Name: "object" }, Member.Name: var member } when ForbiddenObjectMembers.Contains(member)
                => $"object.{member} is not allowed in a broadcast template",
            _ => null,
        };
        if (forbidden is not null)
        {
            throw new TemplateException(source, node.Span.Start.Line + 1, node.Span.Start.Column + 1, forbidden);
        }

        foreach (var child in node.Children)
        {
            if (child is not null)
            {
                Walk(child, source);
            }
        }
    }
}
