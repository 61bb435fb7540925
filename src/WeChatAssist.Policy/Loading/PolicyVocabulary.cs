namespace WeChatAssist.Policy;

/// <summary>What a key's value is: the loader reads it with the matching getter, the JSON Schema types it the same way.</summary>
internal enum TermKind
{
    /// <summary>Any single value, read as text.</summary>
    Text,

    /// <summary>One of <see cref="Term.Values"/>.</summary>
    Choice,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>An amount in yuan, at most two decimals.</summary>
    Yuan,

    /// <summary>A decimal number (percentages).</summary>
    Decimal,

    /// <summary>YYYY-MM-DD.</summary>
    Date,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A list of clause ids.</summary>
    ClauseIds,

    /// <summary>A list of texts.</summary>
    TextList,

    /// <summary>A mapping described by <see cref="Term.Map"/>.</summary>
    Map,

    /// <summary>A list of mappings described by <see cref="Term.Map"/>.</summary>
    MapList,
}

/// <summary>One key of a mapping in the policy format.</summary>
internal sealed record Term(string Key, TermKind Kind, bool Required, string Description, Vocabulary? Map = null, IReadOnlyList<string>? Values = null, string? Pattern = null);

/// <summary>The keys one kind of mapping may hold.</summary>
internal sealed class Vocabulary(string name, string description, params Term[] terms)
{
    private readonly Dictionary<string, Term> _byKey = terms.ToDictionary(t => t.Key, StringComparer.Ordinal);

    /// <summary>Name used for the schema definition and in messages.</summary>
    public string Name { get; } = name;

    public string Description { get; } = description;

    /// <summary>Keys in the order the format documents them.</summary>
    public IReadOnlyList<Term> Terms { get; } = terms;

    /// <summary>Keys of which exactly one must be present (a duration's days or months).</summary>
    public IReadOnlyList<string> ExactlyOneOf { get; init; } = [];

    public Term? Find(string key) => _byKey.GetValueOrDefault(key);
}

/// <summary>
/// The policy format's vocabulary: every key of every mapping the loader reads. The loader can read no key that is
/// not declared here (its reader throws on start), unknown keys in a file are rejected against it, and
/// <see cref="PolicySchema"/> writes the JSON Schema from it, so the schema and the loader cannot drift apart.
/// </summary>
internal static class PolicyVocabulary
{
    private static Term Text(string key, bool required, string description) => new(key, TermKind.Text, required, description);

    private static Term Cites(string key = "cites", bool required = true, string description = "Clause ids this rule rests on.") => new(key, TermKind.ClauseIds, required, description);

    private static Term Date(string key, bool required, string description) => new(key, TermKind.Date, required, description);

    private static Term Flag(string key, string description) => new(key, TermKind.Boolean, false, description);

    internal static readonly Vocabulary Clause = new("clause", "One clause of the notice (or a national rule it defers to), cited by its id.",
        Text("id", true, "Short id the rules cite."),
        Text("numbering", true, "The notice's own numbering, e.g. 三、（一）."),
        Text("text", true, "The clause's text, copied from the notice."),
        Text("documentNumber", false, "The document the clause comes from when not the notice itself."));

    private static readonly Vocabulary CitedAmount = new("fiscalSubsidy", "Per-person fiscal subsidy.",
        new Term("yuan", TermKind.Yuan, true, "Amount in yuan."),
        Cites());

    private static readonly Vocabulary Tier = new("tier", "A contribution tier.",
        new Term("tier", TermKind.Integer, true, "Tier number."),
        new Term("yuan", TermKind.Yuan, true, "Individual contribution in yuan."),
        new Term("collegeYuan", TermKind.Yuan, false, "College students' contribution in yuan."),
        Cites());

    private static readonly Vocabulary CitedRange = new("citedRange", "A date range with its citations.",
        Date("from", true, "First day, inclusive."),
        Date("to", true, "Last day, inclusive."),
        Cites());

    private static readonly Vocabulary NoPayment = new("noPaymentFromDay", "No payment from this day of each month to its end.",
        new Term("day", TermKind.Integer, true, "Day of the month (2–31)."),
        Cites());

    private static readonly Vocabulary Collection = new("collection", "The collection window and the benefit period it buys.",
        new Term("window", TermKind.Map, true, "The collection window.", CitedRange),
        new Term("benefit", TermKind.Map, true, "The benefit period.", CitedRange),
        new Term("noPaymentFromDay", TermKind.Map, false, "Monthly stop.", NoPayment));

    private static readonly Vocabulary Duration = new("duration", "A duration and how it is counted.",
        new Term("days", TermKind.Integer, false, "Length in days."),
        new Term("months", TermKind.Integer, false, "Length in months."),
        new Term("countFromNextDay", TermKind.Boolean, true, "Whether counting starts the day after (自…之日起)."))
    {
        ExactlyOneOf = ["days", "months"],
    };

    private static readonly Vocabulary Regime = new("lateRegime", "Payment after the window, for one date range.",
        Text("id", true, "Regime id."),
        Date("from", true, "First payment day, inclusive."),
        Date("to", true, "Last payment day, inclusive."),
        new Term("benefitStart", TermKind.Choice, true, "When cover starts.", Values: ["nextMonthFirst", "afterWaiting"]),
        new Term("waiting", TermKind.Map, false, "The waiting period (afterWaiting).", Duration),
        Flag("residentPaysFiscalSubsidy", "The resident pays the fiscal subsidy too."),
        new Term("minimumYuan", TermKind.Yuan, false, "Stated minimum payment in yuan."),
        new Term("subsidies", TermKind.Choice, false, "What happens to hardship subsidies.", Values: ["keep", "notStated", "forfeited"]),
        Flag("requiresPaidLastYear", "Only last year's payers may pay late."),
        Flag("collegeRateStated", "Whether the college rate applies (default true)."),
        Date("deadline", false, "Final payment date when later than 'to'."),
        Cites());

    private static readonly Vocabulary NotStated = new("notStated", "The notice is silent on this.", Cites());

    private static readonly Vocabulary Late = new("late", "Payment after the collection window: regimes, or notStated with its citations.",
        new Term("regimes", TermKind.MapList, false, "Late regimes in payment-date order.", Regime),
        new Term("notStated", TermKind.Map, false, "The notice says nothing about late payment.", NotStated));

    private static readonly Vocabulary Newborn = new("newborn", "Newborns' enrolment window.",
        Date("bornFrom", true, "Born on or after."),
        Date("bornTo", true, "Born on or before."),
        new Term("window", TermKind.Map, true, "How long after birth.", Duration),
        Cites());

    private static readonly Vocabulary College = new("college", "College students.",
        Cites("freshmanCites", true, "Clauses on freshmen."),
        new Term("transition", TermKind.Map, true, "Transition cover.", CitedRange));

    private static readonly Vocabulary CategorySubsidy = new("categorySubsidy", "A group's subsidy at one tier.",
        new Term("tier", TermKind.Integer, true, "Tier number."),
        new Term("yuan", TermKind.Yuan, false, "Subsidy in yuan."),
        new Term("percent", TermKind.Decimal, false, "Subsidy as a percentage of the tier."),
        new Term("individualYuan", TermKind.Yuan, true, "What the resident pays, in yuan."));

    private static readonly Vocabulary Age = new("age", "Age condition on the payment date.",
        new Term("atLeast", TermKind.Integer, false, "Age at least."),
        new Term("below", TermKind.Integer, false, "Age below."),
        Cites());

    private static readonly Vocabulary LateFiscalException = new("lateFiscalException", "Who pays the fiscal part for this group when late.",
        Text("fiscalPartFunder", true, "Funder."),
        Cites());

    private static readonly string[] Modes = ["direct", "reimbursed", "none"];

    private static readonly Vocabulary Category = new("category", "A subsidised group (资助对象).",
        new Term("code", TermKind.Text, true, "Code: lower-case ASCII letters, digits and '-'.", Pattern: "^[a-z0-9-]+$"),
        Text("name", true, "The notice's name for the group."),
        new Term("aliases", TermKind.TextList, false, "Other names the notice uses."),
        Text("department", false, "Department that certifies the group."),
        new Term("status", TermKind.Choice, true, "The subsidy rule: stated (with tiers), notStated or none.", Values: ["stated", "notStated", "none"]),
        Text("funder", false, "Who funds the subsidy."),
        Flag("funderNotStated", "The notice names no funder."),
        Cites("funderCites", false, "Clauses naming the funder."),
        new Term("mode", TermKind.Choice, false, "direct (pays less) or reimbursed (pays, then refunded).", Values: Modes),
        new Term("modeWhenRiskCleared", TermKind.Choice, false, "Mode once a monitored person's risk is cleared.", Values: Modes),
        Cites("modeCites", false, "Clauses stating the mode."),
        new Term("tiers", TermKind.MapList, false, "Subsidy per tier (required when stated).", CategorySubsidy),
        new Term("excludedBy", TermKind.TextList, false, "Codes of groups that exclude this one."),
        Cites("exclusionCites", false, "Clauses stating the exclusion."),
        new Term("age", TermKind.Map, false, "Age condition.", Age),
        new Term("lateFiscalException", TermKind.Map, false, "Late fiscal-part exception.", LateFiscalException),
        Cites());

    private static readonly Vocabulary Contact = new("contact", "Whom residents call.",
        Text("name", true, "Office."),
        Text("phone", false, "Phone number."),
        Text("role", true, "What they help with."),
        Cites());

    private static readonly Vocabulary Channel = new("paymentChannel", "Where residents pay.",
        Text("name", true, "Channel."),
        Text("description", true, "How to pay there."),
        Cites());

    private static readonly Vocabulary TargetRow = new("targetRow", "One township's target.",
        new Term("seq", TermKind.Integer, false, "Row number."),
        Text("name", true, "Township."),
        new Term("count", TermKind.Integer, true, "Target."));

    private static readonly Vocabulary Targets = new("targets", "A target table; rows must add up to the total.",
        Text("title", true, "Table title."),
        Text("unit", true, "Unit."),
        new Term("rows", TermKind.MapList, true, "Rows.", TargetRow),
        new Term("total", TermKind.Integer, true, "Stated total."),
        Cites());

    private static readonly Vocabulary CoverageTarget = new("coverageTarget", "A coverage-rate target.",
        Text("group", true, "Population."),
        new Term("members", TermKind.TextList, false, "Groups it includes."),
        new Term("percent", TermKind.Decimal, true, "Target rate."),
        Date("by", false, "By when."),
        Cites());

    private static readonly Vocabulary Reporting = new("reporting", "Reporting rhythm.",
        Date("from", false, "From."),
        Date("to", false, "To."),
        Text("frequency", true, "How often."),
        Cites());

    private static readonly Vocabulary Fact = new("fact", "A stated fact residents may ask about.",
        Text("id", true, "Fact id."),
        Text("text", true, "The fact."),
        Cites());

    private static readonly Vocabulary KeyDate = new("date", "A key date of the notice.",
        Text("id", true, "Date id."),
        Date("date", true, "The date."),
        Text("description", true, "What happens."),
        Cites());

    private static readonly Vocabulary NationalOverride = new("nationalOverride", "Rules of the national layer this county file replaces with its own (otherwise a contradiction is a load fault).",
        Text("layer", true, "The national layer's id, e.g. gbf-2024-38."),
        new Term("overrides", TermKind.TextList, true, "The national rules replaced: waitingPeriod."),
        Cites(description: "The county's clauses that state its own rule."));

    /// <summary>The whole file.</summary>
    public static readonly Vocabulary Root = new("policy", "A county's resident medical-insurance collection notice, encoded as rules that cite its clauses.",
        new Term("formatVersion", TermKind.Integer, true, "Format version (1)."),
        Text("id", true, "Policy id: county and benefit year, e.g. suiping-2025."),
        Text("name", true, "County name."),
        Text("issuer", true, "Issuing office."),
        Text("documentNumber", false, "Document number (文号); empty when the notice has none."),
        Text("title", true, "The notice's title."),
        new Term("benefitYear", TermKind.Integer, true, "The benefit year the contributions buy."),
        new Term("clauses", TermKind.MapList, true, "The notice's clauses.", Clause),
        new Term("fiscalSubsidy", TermKind.Map, true, "Per-person fiscal subsidy.", CitedAmount),
        new Term("tiers", TermKind.MapList, true, "Contribution tiers.", Tier),
        new Term("collection", TermKind.Map, true, "Collection window and benefit period.", Collection),
        new Term("late", TermKind.Map, true, "Payment after the window.", Late),
        new Term("newborn", TermKind.Map, false, "Newborns.", Newborn),
        new Term("college", TermKind.Map, false, "College students.", College),
        Cites("schoolCites", false, "Clauses on school pupils."),
        new Term("categories", TermKind.MapList, false, "Subsidised groups.", Category),
        new Term("precedence", TermKind.TextList, false, "Group codes in order of precedence for equal subsidies."),
        Cites("categoryListCites", true, "Clauses listing the groups."),
        new Term("contacts", TermKind.MapList, true, "Whom to call.", Contact),
        new Term("paymentChannels", TermKind.MapList, false, "Where to pay.", Channel),
        new Term("targets", TermKind.MapList, false, "Target tables.", Targets),
        new Term("coverageTargets", TermKind.MapList, false, "Coverage-rate targets.", CoverageTarget),
        new Term("reporting", TermKind.MapList, false, "Reporting rhythm.", Reporting),
        new Term("facts", TermKind.MapList, false, "Other stated facts.", Fact),
        new Term("dates", TermKind.MapList, false, "Other key dates.", KeyDate),
        new Term("national", TermKind.Map, false, "Declares which national-layer rules this notice overrides.", NationalOverride));
}
