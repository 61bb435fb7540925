using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeChatAssist.Policy;

/// <summary>One table-driven case: facts, a payment date and the expectations it states.</summary>
public sealed class PolicyCase
{
    private readonly YamlMappingNode _node;

    internal PolicyCase(string file, YamlMappingNode node, string defaultPolicyId)
    {
        File = file;
        _node = node;
        Line = (int)node.Start.Line;
        Name = Text("name") ?? $"case at line {Line}";
        PolicyId = Text("policy") ?? defaultPolicyId;
    }

    /// <summary>The case file.</summary>
    public string File { get; }

    /// <summary>1-based line of the case in its file.</summary>
    public int Line { get; }

    /// <summary>The case's name.</summary>
    public string Name { get; }

    /// <summary>The policy the case quotes (the file's <c>policy</c> unless the case names another).</summary>
    public string PolicyId { get; }

    /// <summary>
    /// Quotes <paramref name="policy"/> with the case's facts and returns what does not match (empty when the case
    /// passes). Only stated expectations are checked; <c>~</c> expects null; amounts are in yuan. Every explanation
    /// step must cite a clause of the policy and render without a placeholder.
    /// </summary>
    public IReadOnlyList<string> Run(InsurancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var failures = new List<string>();
        try
        {
            RunChecked(policy, failures);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidCastException or InvalidOperationException or OverflowException)
        {
            failures.Add($"{File}:{Line}: {Name}: the case cannot be read: {e.Message}");
        }

        return failures;
    }

    private void RunChecked(InsurancePolicy policy, List<string> failures)
    {
        var facts = new ResidentFacts
        {
            Categories = List("categories"),
            Tier = ParseInt(Text("tier")),
            BirthDate = Date("birthDate"),
            Student = Text("student") switch
            {
                null => StudentKind.None,
                "college" => StudentKind.College,
                "school" => StudentKind.School,
                var s => throw new FormatException($"bad student '{s}' (college | school)"),
            },
            Newborn = Bool("newborn"),
            CollegeFreshman = Bool("freshman"),
            CollegeTransitionPaid = Bool("transition"),
            PaidLastYear = Bool("paidLastYear"),
            MonitoringRiskCleared = Bool("riskCleared"),
        };
        var paidOn = Date("paidOn") ?? throw new FormatException("'paidOn' is required");
        var quote = policy.Quote(facts, paidOn);
        if (!_node.Children.TryGetValue(new YamlScalarNode("expect"), out var expectNode) || expectNode is not YamlMappingNode expect)
        {
            throw new FormatException("'expect' must be a mapping");
        }

        foreach (var (keyNode, valueNode) in expect.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            var value = valueNode is YamlScalarNode { Value: var v } && v is not ("~" or "null" or "") ? v : null;
            void Expect(bool ok, object? actual)
            {
                if (!ok)
                {
                    failures.Add($"{File}:{keyNode.Start.Line}:{keyNode.Start.Column}: {Name}: {key} expected {value ?? "null"}, was {Show(actual)}");
                }
            }

            switch (key)
            {
                case "outcome": Expect(Enum.Parse<QuoteOutcome>(value!) == quote.Outcome, quote.Outcome); break;
                case "due": Expect(Fen(value) == quote.IndividualDueFen, Yuan(quote.IndividualDueFen)); break;
                case "subsidy": Expect(Fen(value) == quote.SubsidyFen, Yuan(quote.SubsidyFen)); break;
                case "fiscal": Expect(Fen(value) == quote.FiscalSubsidyPaidByResidentFen, Yuan(quote.FiscalSubsidyPaidByResidentFen)); break;
                case "funder": Expect(value == quote.SubsidyFunder, quote.SubsidyFunder); break;
                case "mode": Expect(Enum.Parse<SubsidyMode>(value!, ignoreCase: true) == quote.SubsidyMode, quote.SubsidyMode); break;
                case "category": Expect(value == quote.AppliedCategory, quote.AppliedCategory); break;
                case "tier": Expect(ParseInt(value) == quote.Tier, quote.Tier); break;
                case "payable": Expect(bool.Parse(value!) == quote.Payable, quote.Payable); break;
                case "next": Expect(ParseDate(value) == quote.NextPayableDate, quote.NextPayableDate); break;
                case "deadline": Expect(ParseDate(value) == quote.Deadline, quote.Deadline); break;
                case "start": Expect(ParseDate(value) == quote.BenefitStart, quote.BenefitStart); break;
                case "end": Expect(ParseDate(value) == quote.BenefitEnd, quote.BenefitEnd); break;
                case "waitingDays": Expect(ParseInt(value) == quote.WaitingDays, quote.WaitingDays); break;
                case "missing": Expect(Enum.Parse<MissingFact>(value!) == quote.Missing, quote.Missing); break;
                case "deferring": Expect(value == quote.DeferringClause?.ClauseId, quote.DeferringClause?.ClauseId); break;
                case "gaps": Expect(Enum.Parse<QuoteGaps>(value!) == quote.Gaps, quote.Gaps); break;
                case "options":
                    var expected = ((YamlSequenceNode)valueNode).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray();
                    var actual = quote.Options.Select(o => $"{o.Tier}:{(o.IndividualDueFen is { } d ? PolicyFormat.Yuan(d) : o.Outcome.ToString())}").ToArray();
                    value = string.Join(", ", expected);
                    Expect(expected.SequenceEqual(actual), string.Join(", ", actual));
                    break;
                case "cites":
                    var ids = quote.Citations.Select(x => x.ClauseId).ToHashSet(StringComparer.Ordinal);
                    foreach (var id in ((YamlSequenceNode)valueNode).Children.Select(n => ((YamlScalarNode)n).Value!))
                    {
                        if (!ids.Contains(id))
                        {
                            failures.Add($"{File}:{keyNode.Start.Line}:{keyNode.Start.Column}: {Name}: clause '{id}' not cited; cited {string.Join(", ", ids)}");
                        }
                    }

                    break;
                default: throw new FormatException($"unknown expectation '{key}'");
            }
        }

        if (quote.Explanation.Count == 0)
        {
            failures.Add($"{File}:{Line}: {Name}: the quote has no explanation");
        }

        foreach (var step in quote.Explanation)
        {
            // A step cites the notice's own clause or one of the national layer it inherits.
            var cited = step.Citation.PolicyId == policy.Id
                ? policy.FindClause(step.Citation.ClauseId) is not null
                : policy.National.Any(l => l.Id == step.Citation.PolicyId && l.Clauses.Any(c => c.Id == step.Citation.ClauseId));
            if (!cited)
            {
                failures.Add($"{File}:{Line}: {Name}: step cites '{step.Citation.PolicyId}' clause '{step.Citation.ClauseId}', not a clause of {policy.Id} or its national layers");
            }

            if (step.Text.Contains('{', StringComparison.Ordinal))
            {
                failures.Add($"{File}:{Line}: {Name}: step renders with a placeholder: {step.Text}");
            }
        }
    }

    private string? Text(string key) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode { Value: var v } && v is not ("~" or "null" or "") ? v : null;

    private bool? Bool(string key) => Text(key) is { } s ? bool.Parse(s) : null;

    private DateOnly? Date(string key) => ParseDate(Text(key));

    private List<string> List(string key) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlSequenceNode seq
            ? seq.Children.Select(x => ((YamlScalarNode)x).Value!).ToList()
            : [];

    private static int? ParseInt(string? s) => s is null ? null : int.Parse(s, CultureInfo.InvariantCulture);

    private static DateOnly? ParseDate(string? s) => s is null ? null : DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long? Fen(string? yuan) => yuan is null ? null : (long)(decimal.Parse(yuan, CultureInfo.InvariantCulture) * 100m);

    private static string? Yuan(long? fen) => fen is { } f ? PolicyFormat.Yuan(f) : null;

    private static string Show(object? value) => value switch
    {
        null => "null",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };
}

/// <summary>
/// A file of cases in the engine tests' format (<c>policy: id</c>, <c>cases: [...]</c>). Written beside a policy as
/// <c>NAME.cases.yaml</c> for <c>policy test NAME.yaml</c>; the catalog never loads such a file as a policy.
/// </summary>
public sealed record PolicyCaseFile(string File, string PolicyId, IReadOnlyList<PolicyCase> Cases)
{
    /// <summary>The suffix of a case file written beside its policy.</summary>
    public const string Suffix = ".cases.yaml";

    /// <summary>The case file beside a policy file: <c>x.yaml</c> → <c>x.cases.yaml</c>.</summary>
    public static string BesidePolicy(string policyPath)
    {
        ArgumentNullException.ThrowIfNull(policyPath);
        return Path.Combine(Path.GetDirectoryName(policyPath) ?? string.Empty, Path.GetFileNameWithoutExtension(policyPath) + Suffix);
    }

    /// <summary>Reads a case file; a malformed one is a <see cref="PolicyLoadException"/> with line and column.</summary>
    public static PolicyCaseFile Load(TextReader text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(text);
        }
        catch (YamlException ex)
        {
            throw new PolicyLoadException(file, (int)ex.Start.Line, (int)ex.Start.Column, "not valid YAML: " + ex.Message, ex);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new PolicyLoadException(file, 1, 1, "a case file must hold exactly one mapping");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("policy"), out var policy) || policy is not YamlScalarNode { Value: { Length: > 0 } policyId })
        {
            throw new PolicyLoadException(file, (int)root.Start.Line, (int)root.Start.Column, "a case file must name its 'policy'");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("cases"), out var casesNode) || casesNode is not YamlSequenceNode cases)
        {
            throw new PolicyLoadException(file, (int)root.Start.Line, (int)root.Start.Column, "a case file must list 'cases'");
        }

        var list = new List<PolicyCase>();
        foreach (var c in cases.Children)
        {
            if (c is not YamlMappingNode map)
            {
                throw new PolicyLoadException(file, (int)c.Start.Line, (int)c.Start.Column, "a case must be a mapping");
            }

            list.Add(new PolicyCase(file, map, policyId));
        }

        return new PolicyCaseFile(file, policyId, list);
    }

    /// <summary>Reads a case file from disk.</summary>
    public static PolicyCaseFile LoadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader, path);
    }
}
