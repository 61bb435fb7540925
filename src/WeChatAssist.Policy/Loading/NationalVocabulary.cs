namespace WeChatAssist.Policy;

/// <summary>
/// The national layer's vocabulary (<c>Policies/national/*.yaml</c>): the loader reads no other key, and
/// <see cref="PolicySchema.GenerateNational"/> writes <c>national.schema.json</c> from it.
/// </summary>
internal static class NationalVocabulary
{
    private static Term Int(string key, bool required, string description) => new(key, TermKind.Integer, required, description);

    private static Term Cites(string key, string description) => new(key, TermKind.ClauseIds, true, description);

    private static readonly Vocabulary Source = new("source", "Where the encoded text was read.",
        new Term("url", TermKind.Text, true, "The page."),
        new Term("gives", TermKind.Text, true, "What of the document it reproduces."));

    private static readonly Vocabulary Floor = new("waitingFloor", "The least total wait after a long break.",
        Int("fromBreakYears", true, "Years of continuous break from which the floor applies."),
        Int("months", true, "Least total months (fixed plus variable) after repair."));

    private static readonly Vocabulary WaitingPeriod = new("nationalWaitingPeriod", "Waiting period for joining outside the collection period or after a break.",
        new Term("exceptions", TermKind.Text, true, "Who is excepted, as the document words it."),
        Int("fixedMonths", true, "Fixed waiting period in months."),
        Int("monthsPerYearOfBreak", true, "Variable months added per year of break."),
        Int("repairMonthsPerYearPaid", true, "Variable months removed per extra year paid."),
        new Term("floor", TermKind.Map, true, "The floor after a long break.", Floor),
        Cites("cites", "Clauses stating the rule."),
        Cites("localStandardCites", "Clauses saying the concrete standard is set locally."));

    private static readonly Vocabulary Incentives = new("nationalIncentives", "Incentives for continuous participation and zero claims.",
        Int("continuousAfterYears", true, "Continuous years after which each further year raises the 大病保险 maximum."),
        new Term("minimumRaiseYuan", TermKind.Yuan, true, "Least raise per step in yuan."),
        new Term("capPercentOfOriginal", TermKind.Decimal, true, "Cap on the accumulated raise, percent of the original maximum."),
        Cites("cites", "Clauses stating the incentives."));

    /// <summary>The whole national file.</summary>
    public static readonly Vocabulary Root = new("nationalLayer", "A national document's rules that every county file inherits from a benefit year on.",
        Int("formatVersion", true, "Format version (1)."),
        new Term("id", TermKind.Text, true, "Layer id, e.g. gbf-2024-38."),
        new Term("issuer", TermKind.Text, true, "Issuing office."),
        new Term("documentNumber", TermKind.Text, true, "Document number (文号)."),
        new Term("title", TermKind.Text, true, "The document's title."),
        Int("fromBenefitYear", true, "First benefit year the layer applies to."),
        new Term("sources", TermKind.MapList, true, "Where the text was read.", Source),
        new Term("clauses", TermKind.MapList, true, "The clauses encoded.", PolicyVocabulary.Clause),
        new Term("waitingPeriod", TermKind.Map, false, "The waiting period.", WaitingPeriod),
        new Term("incentives", TermKind.Map, false, "The incentives.", Incentives));
}
