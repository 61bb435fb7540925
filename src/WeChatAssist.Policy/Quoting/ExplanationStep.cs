using System.Globalization;

namespace WeChatAssist.Policy;

/// <summary>What an explanation step says; each kind has a Chinese template in <c>Explanations/explanations.zh-Hans.yaml</c>.</summary>
public enum ExplanationKind
{
    /// <summary>Individual contribution of a tier.</summary>
    TierRate = 0,

    /// <summary>College-student contribution of a tier.</summary>
    CollegeRate,

    /// <summary>No separate college rate: the resident rate applies.</summary>
    CollegeRateNotDefined,

    /// <summary>School students enrol like other residents.</summary>
    SchoolStudent,

    /// <summary>Payment date within the collection window.</summary>
    InWindow,

    /// <summary>Payment date before the window opens.</summary>
    BeforeWindow,

    /// <summary>The day is in the monthly no-payment days.</summary>
    NoPaymentDay,

    /// <summary>Benefit period.</summary>
    BenefitPeriod,

    /// <summary>Late regime: cover from the 1st of the next month.</summary>
    LateNextMonthFirst,

    /// <summary>Late regime: waiting days counted from the day after payment.</summary>
    LateWaitingDaysFromNextDay,

    /// <summary>Late regime: waiting days counted from the payment day.</summary>
    LateWaitingDaysFromSameDay,

    /// <summary>Late regime: waiting months counted from the day after payment.</summary>
    LateWaitingMonths,

    /// <summary>Benefit would start after the year ends.</summary>
    NoCoverRemaining,

    /// <summary>Late payer pays the fiscal subsidy too.</summary>
    LateFiscal,

    /// <summary>Source of the fiscal subsidy amount.</summary>
    FiscalSubsidySource,

    /// <summary>A stated minimum payment applies.</summary>
    LateMinimum,

    /// <summary>The deadline that applies.</summary>
    Deadline,

    /// <summary>No final payment date is stated.</summary>
    DeadlineNotStated,

    /// <summary>No payment for this benefit year after the final date.</summary>
    OutsideWindow,

    /// <summary>The notice is silent about payment after the window.</summary>
    LateNotStated,

    /// <summary>Subsidy of a category.</summary>
    CategorySubsidy,

    /// <summary>Funder of a subsidy.</summary>
    CategoryFunder,

    /// <summary>Funder not stated.</summary>
    FunderNotStated,

    /// <summary>Direct subsidy: pay the remainder only.</summary>
    ModeDirect,

    /// <summary>Reimbursed subsidy: pay in full first.</summary>
    ModeReimbursed,

    /// <summary>Several categories: the most favourable applies.</summary>
    HighestSubsidy,

    /// <summary>A category excluded by another.</summary>
    Excluded,

    /// <summary>An age condition met.</summary>
    AgeConditionMet,

    /// <summary>An age condition not met.</summary>
    AgeConditionNotMet,

    /// <summary>The subsidy amount is left to other documents.</summary>
    CategoryNotStated,

    /// <summary>The group gets no subsidy under this notice.</summary>
    CategoryNoSubsidy,

    /// <summary>The category does not exist in this notice.</summary>
    CategoryNotInCounty,

    /// <summary>The tier is not offered.</summary>
    TierNotOffered,

    /// <summary>The resident must choose a tier.</summary>
    ChooseTier,

    /// <summary>A fact is needed.</summary>
    NeedFact,

    /// <summary>Whether a subsidy continues for late payers is not stated.</summary>
    LateSubsidyNotStated,

    /// <summary>Late payers pay in full without subsidy.</summary>
    LateSubsidyForfeited,

    /// <summary>Explicit exception: the subsidy continues and the fiscal part is funded.</summary>
    LateFiscalException,

    /// <summary>Late payment only for last year's payers.</summary>
    RequiresPaidLastYear,

    /// <summary>Late payment by others is not stated.</summary>
    FirstTimeLateNotStated,

    /// <summary>Newborn enrolment window.</summary>
    NewbornWindow,

    /// <summary>Newborn benefit start not stated.</summary>
    NewbornBenefitStartNotStated,

    /// <summary>College freshman cover from the day after payment.</summary>
    CollegeFreshman,

    /// <summary>College transition year: already covered.</summary>
    CollegeTransition,

    /// <summary>College late price not stated.</summary>
    CollegeLateNotStated,

    /// <summary>College student in a subsidised category: not stated.</summary>
    CollegeCategoryNotStated,

    /// <summary>The rule has no college-student provision.</summary>
    CollegeRuleMissing,

    /// <summary>Mode for monitored persons whose risk is cleared.</summary>
    RiskClearedMode,

    /// <summary>National layer: fixed waiting period for joining outside the collection period or after a break.</summary>
    NationalWaitingFixed,

    /// <summary>National layer: who is excepted from the waiting period.</summary>
    NationalWaitingExceptions,

    /// <summary>National layer: variable waiting months per year of break.</summary>
    NationalWaitingPerYearOfBreak,

    /// <summary>National layer: paying for missed years reduces the variable part.</summary>
    NationalWaitingRepair,

    /// <summary>National layer: the least total wait after a long break.</summary>
    NationalWaitingFloor,

    /// <summary>National layer: the concrete standard is set locally; ask the bureau.</summary>
    NationalWaitingLocalStandard,

    /// <summary>No tier chosen: late payers of every tier pay the year's fiscal subsidy too (the amount of each tier is
    /// in the options).</summary>
    LateFiscalAnyTier,
}

/// <summary>One explanation step: what was decided, with its citation; <see cref="Text"/> renders the Chinese sentence.</summary>
public readonly record struct ExplanationStep(
    ExplanationKind Kind,
    Citation Citation,
    long Fen1 = 0,
    long Fen2 = 0,
    DateOnly Date1 = default,
    DateOnly Date2 = default,
    int Number = 0,
    string? Subject = null)
{
    /// <summary>The step in Chinese, rendered from its template.</summary>
    public string Text => ExplanationTexts.Default.Render(this);
}

/// <summary>Formats money and dates for people: <c>380元</c>, <c>1020元</c>, <c>2024年3月1日</c>.</summary>
public static class PolicyFormat
{
    /// <summary>Fen as yuan: <c>38000</c> → <c>380元</c>, <c>3850</c> → <c>38.5元</c>.</summary>
    public static string Yuan(long fen) =>
        (fen % 100 == 0 ? (fen / 100).ToString(CultureInfo.InvariantCulture) : (fen / 100m).ToString("0.##", CultureInfo.InvariantCulture)) + "元";

    /// <summary>A date in Chinese: <c>2024年3月1日</c>.</summary>
    public static string Date(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日");
}
