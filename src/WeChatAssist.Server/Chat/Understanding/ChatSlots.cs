using WeChatAssist.Policy;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>Some members of a household with their own facts ("两个大人二档", "老人是低保交一档").</summary>
/// <param name="Count">How many people these facts describe.</param>
/// <param name="Slots">Their facts (the message's shared facts laid under their own).</param>
internal sealed record HouseholdMember(int Count, ChatSlots Slots);

/// <summary>What a message says about the resident and the question, beyond its intent.</summary>
internal sealed record ChatSlots
{
    /// <summary>An empty set of slots.</summary>
    public static ChatSlots Empty { get; } = new();

    /// <summary>Tier named (一档 → 1, 二档/高档 → 2).</summary>
    public int? Tier { get; init; }

    /// <summary>The message names both tiers ("三个一档两个二档", "一档二档差多少"), this message only: unless its people are
    /// told apart, no one tier is the resident's.</summary>
    public bool BothTiers { get; init; }

    /// <summary>Category codes of the account's policy.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The resident says he belongs to no subsidised group (普通/都不是).</summary>
    public bool Ordinary { get; init; }

    /// <summary>An amount named (三百八, 380块), in fen.</summary>
    public long? AmountFen { get; init; }

    /// <summary>A date named (12月31号, 月底, 下个月), resolved against the business date.</summary>
    public DateOnly? Date { get; init; }

    /// <summary>A birth date named (2024年3月5日出生).</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>An age named ("60多岁", "17岁"): the age reached by the business date, at least.</summary>
    public int? Age { get; init; }

    /// <summary>The age was said in years ("六十多了"), not inferred from a child at school.</summary>
    public bool AgeStated { get; init; }

    /// <summary>Student kind named.</summary>
    public StudentKind Student { get; init; }

    /// <summary>A university student in the first year, enrolling at entry ("大一", "今年刚上大学").</summary>
    public bool Freshman { get; init; }

    /// <summary>A student is named without saying school or university ("学生交多少钱").</summary>
    public bool StudentUnspecified { get; init; }

    /// <summary>A newborn is asked about.</summary>
    public bool Newborn { get; init; }

    /// <summary>A township of the policy's target tables.</summary>
    public string? Township { get; init; }

    /// <summary>Whether the resident paid last year, when said.</summary>
    public bool? PaidLastYear { get; init; }

    /// <summary>For monitored persons: whether the risk is cleared, when said.</summary>
    public bool? RiskCleared { get; init; }

    /// <summary>For university students: whether the university is in Chongqing (在渝高校), when said — the answer to
    /// the college-place question, alone or in the question itself.</summary>
    public bool? CollegeInChongqing { get; init; }

    /// <summary>The college group was named by the notice's own word (大学生) with no place said, and taken as the
    /// notice's group (在渝高校): the answer says whom that rate is for.</summary>
    public bool CollegeByName { get; init; }

    /// <summary>How many people the question is for ("我们家五口人", "我和老伴"), when more than one is named.</summary>
    public int? People { get; init; }

    /// <summary>Household members with different facts, when the message describes them part by part.</summary>
    public IReadOnlyList<HouseholdMember> Members { get; init; } = [];

    /// <summary>The date names a period ("二月份", "过了六月", "年后"): <see cref="Date"/> is its first day.</summary>
    public bool DateIsPeriod { get; init; }

    /// <summary>The message asks what the government pays ("国家给补多少", "个人加国家总共多少"), this message only.</summary>
    public bool AsksSubsidy { get; init; }

    /// <summary>The message sets the group's amount against any resident's ("大学生比普通人少好多"), this message only.</summary>
    public bool ComparedToOrdinary { get; init; }

    /// <summary>The message asks until when one may pay ("最晚哪天", "还来得及不"), this message only.</summary>
    public bool AsksLastDay { get; init; }

    /// <summary>The message asks within how long ("要好久之内去办"), this message only.</summary>
    public bool AsksWithin { get; init; }

    /// <summary>After a payment said, the message asks whether cover holds on a day ("交了 明年一号就能看病了吧"), this
    /// message only.</summary>
    public bool CoverOnDay { get; init; }

    /// <summary>The reply to whether one's work insures him (职工医保): true for "有职工医保", false for "没有".</summary>
    public bool? InsuredAtWork { get; init; }

    /// <summary>The message asks when cover starts or which days it runs ("交了啥时候能用", "从哪天用到哪天"), this
    /// message only.</summary>
    public bool AsksCover { get; init; }

    /// <summary>The message asks an amount ("好多钱", "交多少"), this message only.</summary>
    public bool AsksAmount { get; init; }

    /// <summary>The benefit year the message names ("2026年的医保", "明年的医保"), or null; this message only.</summary>
    public int? BenefitYearAsked { get; init; }

    /// <summary>The message asks about a place the notice does not name ("西平县的医保多少钱"): another county's question.</summary>
    public bool OtherPlace { get; init; }

    /// <summary>Several groups are named as different people ("特困户和低保户各交多少"), not as one person in both
    /// ("我是低保也是重残"): each group is quoted on its own line.</summary>
    public bool EachGroup { get; init; }

    /// <summary>Text left after removing the slot words and pronouns; short residue means "only slots".</summary>
    public int ResidueLength { get; init; }

    /// <summary>Whether any resident fact was found (amount, date and township do not count).</summary>
    public bool HasResidentFacts =>
        Tier is not null || Categories.Count > 0 || Ordinary || BirthDate is not null || Age is not null || Student != StudentKind.None
        || Newborn || PaidLastYear is not null || RiskCleared is not null || CollegeInChongqing is not null || InsuredAtWork is not null;

    /// <summary>These slots with the newer message's slots laid over them.</summary>
    public ChatSlots Merge(ChatSlots newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        return new ChatSlots
        {
            Tier = newer.Tier ?? Tier,
            Categories = newer.Categories.Count > 0 ? newer.Categories : newer.Ordinary ? [] : Categories,
            Ordinary = newer.Categories.Count == 0 && (newer.Ordinary || Ordinary),
            AmountFen = newer.AmountFen,
            Date = newer.Date,
            DateIsPeriod = newer.DateIsPeriod,
            People = newer.People ?? People,
            Members = newer.Members,
            BirthDate = newer.BirthDate ?? BirthDate,
            Age = newer.Age ?? Age,
            AgeStated = newer.Age is not null ? newer.AgeStated : AgeStated,
            Student = newer.Student != StudentKind.None ? newer.Student : Student,
            Freshman = newer.Student != StudentKind.None ? newer.Freshman : Freshman,
            StudentUnspecified = newer.Student == StudentKind.None && (newer.StudentUnspecified || (StudentUnspecified && Student == StudentKind.None)),
            Newborn = newer.Newborn || Newborn,
            Township = newer.Township ?? Township,
            PaidLastYear = newer.PaidLastYear ?? PaidLastYear,
            RiskCleared = newer.RiskCleared ?? RiskCleared,
            CollegeInChongqing = newer.CollegeInChongqing ?? CollegeInChongqing,
            CollegeByName = newer.CollegeInChongqing is not null ? newer.CollegeByName : CollegeByName,
            ResidueLength = newer.ResidueLength,
            AsksSubsidy = newer.AsksSubsidy,
            ComparedToOrdinary = newer.ComparedToOrdinary,
            AsksLastDay = newer.AsksLastDay,
            AsksWithin = newer.AsksWithin,
            CoverOnDay = newer.CoverOnDay,
            InsuredAtWork = newer.InsuredAtWork,
            AsksCover = newer.AsksCover,
            BenefitYearAsked = newer.BenefitYearAsked,
            AsksAmount = newer.AsksAmount,
            BothTiers = newer.BothTiers,
            // "一档" after "特困户和低保户各交多少" still asks for each group.
            EachGroup = newer.Categories.Count > 0 ? newer.EachGroup : EachGroup,
        };
    }
}
