using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>Finds tiers, categories, amounts, dates, birth dates, student/newborn, townships and yes/no facts in canonical text.</summary>
internal sealed partial class SlotExtractor(ResidentWords residentWords, TextNormalizer normalizer)
{
    private readonly ConcurrentDictionary<string, PolicyWords> _policyWords = new(StringComparer.Ordinal);

    /// <summary>Extracts the slots of <paramref name="canonical"/> for <paramref name="policy"/>, dates relative to <paramref name="today"/>.</summary>
    public ChatSlots Extract(string canonical, InsurancePolicy policy, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(policy);
        var consumed = new bool[canonical.Length];
        var words = _policyWords.GetOrAdd(policy.Id, _ => BuildWords(policy));
        // "现在交还能用到年底不": the day cover runs to is not a day of payment.
        foreach (Match coverEnd in CoverEndPattern().Matches(canonical))
        {
            Consume(consumed, coverEnd.Index, coverEnd.Length);
        }

        // "今年交了 明年1月1号能看病不": after a payment said, the day asked about is a day of use, not of payment.
        var coverOnDay = false;
        foreach (Match useDay in UseDayPattern().Matches(canonical))
        {
            Consume(consumed, useDay.Index, useDay.Length);
            coverOnDay = true;
        }

        var categories = new List<string>();
        foreach (var (word, code) in words.Categories)
        {
            var at = canonical.IndexOf(word, StringComparison.Ordinal);
            if (at >= 0 && !IsConsumed(consumed, at, word.Length))
            {
                Consume(consumed, at, word.Length);
                // "没有低保", "不是五保户": the group is denied; "低保边缘户": next to the group, not in it. Either way
                // that group's amount would be another situation's amount.
                if (NegationPattern().IsMatch(canonical.AsSpan(0, at)) || canonical.AsSpan(at + word.Length).StartsWith("边缘"))
                {
                    continue;
                }

                if (!categories.Contains(code))
                {
                    categories.Add(code);
                }
            }
        }

        string? township = null;
        foreach (var (word, name) in words.Townships)
        {
            var at = canonical.IndexOf(word, StringComparison.Ordinal);
            if (at >= 0 && !IsConsumed(consumed, at, word.Length))
            {
                Consume(consumed, at, word.Length);
                township = name;
                break;
            }
        }

        DateOnly? date = null;
        var datePeriod = false;
        DateOnly? birthDate = null;
        // Days said by month and day ("六月份", "12月20号") and by festival or lunar date ("元旦", "正月初九").
        var said = new List<(int Index, int Length, DateOnly Resolved, DateOnly Earlier, bool HasDay, bool YearSaid)>();
        foreach (Match match in DatePattern().Matches(canonical))
        {
            if (ResolveDate(match, today) is { } day)
            {
                said.Add((match.Index, match.Length, day, day.AddYears(-1), match.Groups["d"].Success || match.Groups["id"].Success || match.Groups["end"].Success || match.Groups["mid"].Success || match.Groups["late"].Success,
                    match.Groups["y"].Success || match.Groups["iy"].Success));
            }
        }

        // "上个月15号", "下个月5号", "这个月20号": a day of the month named relative to today's.
        foreach (Match relative in MonthDayPattern().Matches(canonical))
        {
            var month = new DateOnly(today.Year, today.Month, 1).AddMonths(relative.Groups["w"].Value switch { "上" => -1, "下" => 1, _ => 0 });
            if (TryDate(month.Year, month.Month, Number(relative.Groups["d"].Value)) is { } day)
            {
                said.Add((relative.Index, relative.Length, day, day, true, true));
            }
        }

        foreach (var festival in FestivalDays.Find(canonical, today))
        {
            // "元旦前交完": a day before which, not the day itself ("元旦前后" is about the day).
            if (!canonical.AsSpan(festival.Index + festival.Length).StartsWith("前") || canonical.AsSpan(festival.Index + festival.Length).StartsWith("前后"))
            {
                // ("农历二月": the lunar month said holds the solar month its words also spell.)
                said.RemoveAll(d => d.Index >= festival.Index && d.Index + d.Length <= festival.Index + festival.Length && d.Length < festival.Length);
                if (!said.Any(d => d.Index < festival.Index + festival.Length && festival.Index < d.Index + d.Length))
                {
                    said.Add((festival.Index, festival.Length, festival.Date, festival.Earlier, festival.HasDay, false));
                }
            }
        }

        foreach (var match in said.OrderBy(d => d.Index))
        {
            if (IsConsumed(consumed, match.Index, 1))
            {
                continue;
            }

            var resolved = match.Resolved;
            var after = canonical.AsSpan(match.Index + match.Length);
            var before = canonical.AsSpan(0, match.Index);
            // "过了六月", "九月底都过了", "六月份交的": a day gone by, so a month later in the year than today is last year's.
            // ("过了六月再交", "二月份交的话" are still to come.)
            // ("元旦过了一月份再交": what follows is still to come.)
            var past = ((before.EndsWith("过了") || before.EndsWith("过完")) && after.StartsWith("了")
                || after[..Math.Min(after.Length, 4)].Contains("过了", StringComparison.Ordinal)
                // ("四月份补交的": done; "六月要交的钱" is still to come.)
                || PaidThenPattern().IsMatch(after[..Math.Min(after.Length, 5)]) && !after.Contains("交的话", StringComparison.Ordinal)
                // "九月开学在学校交了2024年的医保": paid then. ("正月回来交 交了啥时候能用": if paid then.)
                || PaidDonePattern().IsMatch(after[..Math.Min(after.Length, 14)]))
                && !after.Contains("再交", StringComparison.Ordinal);
            // ("一月底交的" said in January, "腊月二十八交的" three weeks before it: a day this close is still to come.)
            if (past && resolved > today && !match.YearSaid && resolved.DayNumber - today.DayNumber > CloseDays)
            {
                resolved = match.Earlier;
            }

            var isBirth = after.StartsWith("出生") || after.StartsWith("生") || after.StartsWith("那天生") || after.StartsWith("那天出生") || before.EndsWith("出生于") || before.EndsWith("生于") || before.EndsWith("出生在");
            var length = match.Length;
            if (isBirth)
            {
                birthDate ??= resolved > today && !match.YearSaid ? match.Earlier : resolved;
            }
            else if (date is null)
            {
                // A month without a day is a period ("二月份交"): its first day decides the regime. "过了六月",
                // "六月以后" start the day after the period (the next month's first day).
                var hasDay = match.HasDay;
                var afterWord = AfterPattern().Match(canonical, match.Index + match.Length);
                var adjacentAfter = afterWord.Success && afterWord.Index == match.Index + match.Length;
                if (adjacentAfter || before.EndsWith("过了") || before.EndsWith("过完"))
                {
                    resolved = hasDay ? resolved.AddDays(1) : new DateOnly(resolved.Year, resolved.Month, 1).AddMonths(1);
                    length += adjacentAfter ? afterWord.Length : 0;
                    // "过了六月再交" said in August of the benefit year: its June is behind, so after it is now, not
                    // next year's July (a day of another benefit year).
                    var lastTime = hasDay ? match.Earlier.AddDays(1) : new DateOnly(match.Earlier.Year, match.Earlier.Month, 1).AddMonths(1);
                    if (!match.YearSaid && resolved > today && resolved.Year > policy.BenefitYear && lastTime.Year == policy.BenefitYear && lastTime <= today && !past)
                    {
                        resolved = today;
                        hasDay = true;
                    }
                }

                date = resolved;
                datePeriod = !hasDay;
            }

            Consume(consumed, match.Index, Math.Min(length, canonical.Length - match.Index));
        }

        if (date is null && NewYearPattern().Match(canonical) is { Success: true } newYear && !IsConsumed(consumed, newYear.Index, newYear.Length))
        {
            // "年后交", "过完年再交": the first day of the coming year.
            date = new DateOnly(today.Month >= 7 ? today.Year + 1 : today.Year, 1, 1);
            if (date <= today)
            {
                date = null;
            }
            else
            {
                datePeriod = true;
                Consume(consumed, newYear.Index, newYear.Length);
            }
        }

        if (date is null && SecondHalfPattern().Match(canonical) is { Success: true } half && !IsConsumed(consumed, half.Index, half.Length))
        {
            // "下半年再交", "过了半年再交": the second half of the benefit year, from its first day.
            // Of the benefit year the policy is for; once under way it is now: today, a day said all the same.
            var secondHalf = new DateOnly(policy.BenefitYear, 7, 1);
            date = secondHalf > today ? secondHalf : today.Year == policy.BenefitYear ? today : null;
            datePeriod = secondHalf > today;
            Consume(consumed, half.Index, half.Length);
        }

        // "娃儿今天生的", "昨天出生的": a birth day said relative to today.
        if (birthDate is null && RelativeBirthPattern().Match(canonical) is { Success: true } born && !IsConsumed(consumed, born.Index, born.Length))
        {
            birthDate = today.AddDays(born.Groups["w"].Value switch { "昨天" => -1, "前天" => -2, "大前天" => -3, _ => 0 });
            Consume(consumed, born.Index, born.Groups["w"].Length);
        }

        date ??= RelativeDate(canonical, today, consumed);

        // "五月份补交的 今天交的": a period that holds today, and today said: the day is today, not the period's first.
        if (datePeriod && date is { } period && period.Year == today.Year && period.Month == today.Month && period <= today && TodayPattern().IsMatch(canonical))
        {
            date = today;
            datePeriod = false;
        }

        int? people = null;
        var childrenOnly = false;
        if (HeadCountPattern().Match(canonical) is { Success: true } headCount && !IsConsumed(consumed, headCount.Index, headCount.Length))
        {
            var n = headCount.Groups["n"].Value;
            people = n.Length == 0 ? 2 : CountOf(n);
            Consume(consumed, headCount.Index, headCount.Length);
            // "我们两口子加两个闺女": more people joined to the head-count are counted too (not the 4 of "一家四口
            // 两个孩子", whose children are inside the head-count: only a joining word adds them).
            if (people is not null && JoinedCountPattern().Match(canonical, headCount.Index + headCount.Length) is { Success: true } joined
                && CountOf(joined.Groups["n"].Value) is { } more)
            {
                people += (int)more;
                Consume(consumed, joined.Index, joined.Length);
            }
        }
        else if (PairCountPattern().Match(canonical) is { Success: true } pair && !IsConsumed(consumed, pair.Index, pair.Length))
        {
            // "家里爹娘俩交居民医保": the pair, and me when joined to them ("我和爸妈俩").
            people = 2 + (JoinedMePattern().IsMatch(canonical) ? 1 : 0);
            Consume(consumed, pair.Index, pair.Length);
        }
        else if (ChildrenPattern().Matches(canonical) is { Count: > 0 } children)
        {
            // "两个娃都在重庆读大学", "俩孩子", "两个老人一个娃": that many children and old people, plus me and each
            // relative joined to them.
            var count = 0;
            var others = new StringBuilder(canonical);
            foreach (Match child in children)
            {
                count += child.Groups["n"].Success ? CountOf(child.Groups["n"].Value) ?? 0 : 1;
                Consume(consumed, child.Index, child.Length);
                // The people counted here are not counted again as relatives ("还有个孩子", "两个孩子").
                others.Remove(child.Index, child.Length).Insert(child.Index, new string(' ', child.Length));
            }

            var relatives = ConnectorPattern().IsMatch(canonical) ? KinCount(others.ToString()) : 0;
            people = count + relatives + (relatives > 0 || canonical.Contains("我跟", StringComparison.Ordinal) || canonical.Contains("我和", StringComparison.Ordinal) ? 1 : 0);
            childrenOnly = people == count && !children.Any(c => c.Value.EndsWith("老人", StringComparison.Ordinal) || c.Value.EndsWith("大人", StringComparison.Ordinal));
        }
        else if (OrdinaryComparisonPattern().Replace(canonical, " ") is var joined && ConnectorPattern().IsMatch(joined))
        {
            // "我和老伴都是低保", "我跟老公还有儿子", "奶奶和爷爷": me (when said) plus each relative named. (Those a group
            // is compared with are none of them: "娃在重庆读大学 跟我们交的一样不".)
            var relatives = KinPattern().Matches(canonical);
            var me = joined.Contains('我', StringComparison.Ordinal) || joined.Contains('俺', StringComparison.Ordinal) ? 1 : 0;
            if (relatives.Count > 0 && KinCount(canonical) + me >= 2)
            {
                people = me + KinCount(canonical);
                foreach (Match relative in relatives)
                {
                    Consume(consumed, relative.Index, relative.Length);
                }
            }
        }

        if (people is < 2 or > 20)
        {
            people = null;
        }

        int? age = null;
        foreach (var pattern in new[] { AgePattern(), AgeWithoutUnitPattern(), AgeReachedPattern() })
        {
            // The number itself must be free: the person before it ("媳妇四十多") may already be counted.
            if (age is null && pattern.Match(canonical) is { Success: true } ageMatch && !IsConsumed(consumed, ageMatch.Groups["n"].Index, ageMatch.Groups["n"].Length)
                && ChineseNumber.Parse(ageMatch.Groups["n"].Value) is { } years && years is > 0 and < 120)
            {
                // "这两个月就满六十了": not yet the age a group's condition starts at; the age on the payment day is
                // not known ("快七十了" is past any such line).
                var at = ageMatch.Groups["n"].Index;
                var lead = canonical.AsSpan(Math.Max(0, at - 4), Math.Min(4, at));
                var boundary = policy.Categories.Any(c => c.Age is { } line && (line.AtLeast == years || line.Below == years));
                age = boundary && NearAgePattern().IsMatch(lead) ? null : (int)years;
                Consume(consumed, ageMatch.Groups["n"].Index, ageMatch.Length - (ageMatch.Groups["n"].Index - ageMatch.Index));
                if (age is null)
                {
                    break;
                }
            }
        }

        var ageStated = age is not null;

        // "低收入家庭的小孩", "俩孩子上小学": a child at school or younger is a minor throughout the benefit year; the
        // age conditions (004 未成年人) are met from it. Not a university student, not when adults are counted too.
        if (age is null && (people is null || childrenOnly) && MinorPattern().IsMatch(canonical) && !CollegePattern().IsMatch(canonical))
        {
            age = MinorAge;
        }

        var otherPlace = false;
        foreach (Match place in PlacePattern().Matches(canonical))
        {
            // The match may start early ("在闻喜县的医保"): a name is known when any ending of it of two or more
            // characters is a place of the notice or no place at all (我们县).
            var name = place.Groups["name"].Value;
            var known = false;
            // ("参加咱县的医保": the one character before 县 already says whose county it is.)
            for (var start = 0; start <= name.Length - 1 && !known; start++)
            {
                var ending = name[start..];
                known = NotAPlace.Any(w => ending.StartsWith(w, StringComparison.Ordinal)) || ending.Length >= 2 && words.Places.Contains(ending, StringComparison.Ordinal);
            }

            otherPlace |= !known;
        }

        long? amount = null;
        foreach (Match match in AmountPattern().Matches(canonical))
        {
            if (IsConsumed(consumed, match.Index, match.Length))
            {
                continue;
            }

            var number = match.Groups["n"].Value;
            var hasUnit = match.Groups["u"].Success;
            if (!hasUnit && !(number.Contains('百', StringComparison.Ordinal) || number.Contains('千', StringComparison.Ordinal) || (number.Length is 2 or 3 && char.IsAsciiDigit(number[0]))))
            {
                continue;
            }

            if (number.Contains('.', StringComparison.Ordinal))
            {
                if (decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan))
                {
                    amount = (long)(yuan * 100);
                }
            }
            else if (ChineseNumber.Parse(number) is { } value)
            {
                amount = value * 100;
            }

            if (amount is not null)
            {
                Consume(consumed, match.Index, match.Length);
                break;
            }
        }

        int? tier = null;
        var tiers = TierPattern().Matches(canonical);
        if (tiers.Count > 0)
        {
            tier = TierOf(tiers[0]);
            Consume(consumed, tiers[0].Index, tiers[0].Length);
        }

        var student = StudentKind.None;
        var studentUnspecified = false;
        if (CollegePattern().Match(canonical) is { Success: true } college)
        {
            student = StudentKind.College;
            Consume(consumed, college.Index, college.Length);
        }
        else if (SchoolPattern().Match(canonical) is { Success: true } school)
        {
            student = StudentKind.School;
            Consume(consumed, school.Index, school.Length);
        }
        else if (AnyStudentPattern().Match(canonical) is { Success: true } anyStudent)
        {
            studentUnspecified = true;
            Consume(consumed, anyStudent.Index, anyStudent.Length);
        }

        var newborn = false;
        if (NewbornPattern().Match(canonical) is { Success: true } newbornMatch)
        {
            newborn = true;
            Consume(consumed, newbornMatch.Index, newbornMatch.Length);
        }

        bool? paidLastYear = null;
        if (PaidLastYearPattern().Match(canonical) is { Success: true } paid)
        {
            paidLastYear = !paid.Groups["neg"].Success;
            Consume(consumed, paid.Index, paid.Length);
        }
        else if (PaidInYearPattern().Match(canonical) is { Success: true } paidIn
            && 2000 + int.Parse(paidIn.Groups["yy"].Value, CultureInfo.InvariantCulture) % 100 == policy.BenefitYear - 1)
        {
            // "23年有医保", "2023年都参保了": the year before the benefit year is "last year" for late payment.
            paidLastYear = !paidIn.Groups["neg"].Success;
            Consume(consumed, paidIn.Index, paidIn.Length);
        }

        bool? riskCleared = null;
        if (RiskPattern().Match(canonical) is { Success: true } risk)
        {
            riskCleared = !risk.Groups["neg"].Success;
            Consume(consumed, risk.Index, risk.Length);
        }

        // "在重庆读", "不在重庆": the reply to the college-place question (the college rate is for 在渝高校 only).
        bool? collegeInChongqing = null;
        if (CollegePlacePattern().Match(canonical) is { Success: true } collegePlace)
        {
            collegeInChongqing = !collegePlace.Groups["neg"].Success;
            Consume(consumed, collegePlace.Index, collegePlace.Length);
        }

        // "有职工医保", "没有职工医保": the reply to whether one's work insures him.
        bool? insuredAtWork = null;
        if (AtWorkReplyPattern().Match(canonical) is { Success: true } atWork)
        {
            insuredAtWork = !atWork.Groups["neg"].Success;
            Consume(consumed, atWork.Index, atWork.Length);
        }

        var ordinary = categories.Count == 0 && (OrdinaryPattern().IsMatch(canonical) || insuredAtWork == false);
        if (ordinary)
        {
            Array.Fill(consumed, true);
        }

        return new ChatSlots
        {
            Tier = tier,
            BothTiers = tiers.Select(TierOf).Distinct().Count() > 1,
            Categories = categories,
            Ordinary = ordinary,
            AmountFen = amount,
            Date = date,
            DateIsPeriod = date is not null && datePeriod,
            People = people,
            BirthDate = birthDate,
            Age = age,
            Student = student,
            StudentUnspecified = studentUnspecified,
            AgeStated = ageStated,
            // The first year at university ("大一", "今年刚考上大学"): the notice's rule for students who enrol at
            // entry (cover from the day after payment) applies where the notice has one; the engine decides.
            Freshman = student == StudentKind.College && FreshmanPattern().IsMatch(canonical),
            Newborn = newborn,
            Township = township,
            PaidLastYear = paidLastYear,
            RiskCleared = riskCleared,
            CollegeInChongqing = collegeInChongqing,
            ResidueLength = Residue(canonical, consumed),
            AsksSubsidy = SubsidyQuestionPattern().IsMatch(canonical),
            AsksLastDay = LastDayQuestionPattern().IsMatch(canonical),
            AsksWithin = WithinQuestionPattern().IsMatch(canonical),
            AsksCover = CoverWhenPattern().IsMatch(canonical),
            CoverOnDay = coverOnDay,
            InsuredAtWork = insuredAtWork,
            BenefitYearAsked = BenefitYearAsked(canonical, policy, today),
            AsksAmount = AskedFigure.Amount().IsMatch(canonical),
            ComparedToOrdinary = OrdinaryComparisonPattern().IsMatch(canonical),
            OtherPlace = otherPlace,
        };
    }

    /// <summary>Household members described part by part in <paramref name="segments"/> (the message split at its
    /// commas and spaces, each canonical): a part naming people ("两个大人二档", "俺娘低保", "我俩") is a member with
    /// that part's facts over the facts of the parts naming nobody ("低收入家庭", "都交一档"). Empty unless at least two
    /// parts name people.</summary>
    public IReadOnlyList<HouseholdMember> Members(IReadOnlyList<string> segments, InsurancePolicy policy, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var parts = new List<(int Count, ChatSlots Slots)>();
        var shared = ChatSlots.Empty;
        int? declared = null;
        var me = -1;
        int? couplePart = null;
        var eachOne = 0;
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                continue;
            }

            // "我在单位有职工医保": that person is insured elsewhere and pays nothing here; "跟我们大人交的一样不": those
            // compared with are no member.
            if (EmployeeInsuredPattern().IsMatch(segment) || OrdinaryComparisonPattern().IsMatch(segment))
            {
                continue;
            }

            var slots = Extract(segment, policy, today);
            var count = MemberCount(segment);
            // "家里五口人", "我们家三口人": the household's total.
            if (count == 0 && declared is null && slots.People is { } size && HouseholdPattern().IsMatch(segment) && HeadCountPattern().IsMatch(segment))
            {
                declared = size;
            }

            // "三个人都交二档", "两人先交多少", "两个人交一档好多钱": a head count that says what all do, nothing of its
            // own, or only the tier while asking the sum, is the household's total; its facts are everyone's.
            // "三个都交一档": everyone, so the household's total with its facts everyone's.
            if (count > 0 && AllOfThemPattern().Match(segment) is { Success: true } all && slots.Categories.Count == 0 && slots.Student == StudentKind.None)
            {
                declared = count;
                count = 0;
            }

            // "我们两口子" is two people of the household, not its total ("我们两口子加上读大学的娃"), unless all are said
            // to be them ("俺两口子都交").
            var couple = CouplePattern().Match(segment);
            var partOfHousehold = couple.Success && !segment.AsSpan(couple.Index + couple.Length).StartsWith("都");
            // "我和老伴都是低保户 俺俩今年医保交多少": the couple asked about after its people were said is their total.
            if (partOfHousehold && parts.Count > 0 && declared is null && slots.Categories.Count == 0 && slots.Tier is null && slots.Student == StudentKind.None
                && AmountAskedPattern().IsMatch(segment))
            {
                // (A couple is two, though "俺俩一共交多少" is read as a total and counts no member itself.)
                declared = count > 0 ? count : 2;
                count = 0;
                partOfHousehold = false;
            }

            if (count > 0 && !partOfHousehold && HeadCountPattern().Match(segment) is { Success: true } total && !RestPattern().IsMatch(segment)
                && (segment.AsSpan(total.Index + total.Length).StartsWith("都") || slots.Categories.Count == 0 && (slots.Tier is null || AmountAskedPattern().IsMatch(segment)) && slots.Student == StudentKind.None && !slots.Ordinary && !OrdinaryPattern().IsMatch(segment) && slots.Age is null))
            {
                declared = slots.People ?? count;
                count = 0;
            }

            // "我是独生子女户 就我一个人交", "我是脱贫户 交医保要自己掏钱不": two parts that each name only me are one
            // person.
            if (count == 1 && (IsMeOnly(segment) || IsSelfOnly(segment)) && me >= 0)
            {
                parts[me] = (1, parts[me].Slots.Merge(slots with { People = null }));
            }
            else if (count > 0)
            {
                me = count == 1 && IsMeOnly(segment) ? parts.Count : me;
                couplePart = partOfHousehold && count == 2 && couplePart is null ? parts.Count : couplePart;
                eachOne += count == 1 && segment.StartsWith("一个", StringComparison.Ordinal) ? 1 : 0;
                parts.Add((count, slots));
            }
            else
            {
                shared = shared.Merge(slots with { People = null });
            }
        }

        // "俺两口子 俺是低保她不是", "老两口 一个一档一个二档": the couple is the household's total when the later
        // parts are its two people.
        if (declared is null && couplePart is { } pair && (me > pair || eachOne == 2 && parts.Count == 3))
        {
            declared = parts[pair].Count;
            parts.RemoveAt(pair);
        }

        // "家里五口人 我妈吃低保", "一家四口 两个孩子上学": the members said are some of the total; the rest are said
        // nothing special of, so they pay as everyone does (with the facts said of all).
        // ("还有的不是", split after 还有: some of the rest, not all of them; who is who is asked.)
        if (declared is { } householdSize && parts.Count > 0 && parts.Sum(p => p.Count) < householdSize && !segments.Any(s => s.StartsWith('的') || s.Contains("有的", StringComparison.Ordinal)))
        {
            parts.Add((householdSize - parts.Sum(p => p.Count), ChatSlots.Empty));
        }

        // Parts that do not add up to the total said: the bot cannot tell who is who, so it does not split.
        if (parts.Count < 2 || declared is { } said && parts.Sum(p => p.Count) != said)
        {
            return [];
        }

        return [.. parts.Select(p => new HouseholdMember(p.Count, shared.Merge(p.Slots with { People = null }) with { Date = p.Slots.Date ?? shared.Date }))];
    }

    // A day said as done ("…交的") but at most this many days ahead is meant as still to come, not last year's.
    private const int CloseDays = 45;

    // "两", "俩", "仨" and the digits residents use for a number of people.
    private static int? CountOf(string n) => (int?)ChineseNumber.Parse(n switch { "两" or "俩" => "二", "仨" => "三", _ => n });

    private static int TierOf(Match tier) => tier.Groups["t"].Value is "一" or "1" or "低" ? 1 : 2;

    // "要自己掏钱不": 自己 and no one else named.
    private static bool IsSelfOnly(string segment) =>
        segment.Contains("自己", StringComparison.Ordinal) && KinCount(segment) == 0 && !HeadCountPattern().IsMatch(segment) && !MemberPattern().IsMatch(segment) && !ChildrenPattern().IsMatch(segment);

    private static bool IsMeOnly(string segment)
    {
        // "我一个人", "我自己": still only me.
        segment = OnlyPattern().Replace(segment, string.Empty).Replace("一个人", string.Empty, StringComparison.Ordinal).Replace("自己", string.Empty, StringComparison.Ordinal);
        return (segment.StartsWith('我') || segment.StartsWith('俺')) && !(segment.Length >= 2 && segment[1] is '们' or '家')
            && KinCount(segment) == 0 && !HeadCountPattern().IsMatch(segment) && !MemberPattern().IsMatch(segment) && !ChildrenPattern().IsMatch(segment);
    }

    private static int MemberCount(string segment)
    {
        // "就我是低保", "只有我": the person is the one after the adverb.
        segment = OnlyPattern().Replace(segment, string.Empty);
        // "一家四口", "家里4个人", "屋头5个人", "仨人一共多少": the household's total, not a member.
        if (HouseholdPattern().IsMatch(segment) && HeadCountPattern().IsMatch(segment)
            || TotalPattern().IsMatch(segment))
        {
            return 0;
        }

        if (HeadCountPattern().Match(segment) is { Success: true } headCount)
        {
            var n = headCount.Groups["n"].Value;
            return n.Length == 0 ? 2 : CountOf(n) ?? 0;
        }

        if (MemberPattern().Match(segment) is { Success: true } member)
        {
            var n = member.Groups["n"].Value;
            return n.Length == 0 ? 1 : CountOf(n) ?? 0;
        }

        var relatives = KinCount(segment) + (segment.Contains("老人", StringComparison.Ordinal) ? 1 : 0);
        // "我们村返贫户": 我们 is the village, not one person.
        var plural = segment.Length >= 2 && segment[1] == '们';
        // "俺家双女户": the household, not me.
        var household = segment.Length >= 2 && segment[1] == '家';
        var me = ((segment.StartsWith('我') || segment.StartsWith('俺')) && !plural && !household && (relatives == 0 || ConnectorPattern().IsMatch(segment))) || segment.Contains("自己", StringComparison.Ordinal) && relatives == 0 ? 1 : 0;
        return relatives + me;
    }

    private static DateOnly? ResolveDate(Match match, DateOnly today)
    {
        if (match.Groups["iy"].Success)
        {
            return TryDate(int.Parse(match.Groups["iy"].Value, CultureInfo.InvariantCulture), Number(match.Groups["im"].Value), Number(match.Groups["id"].Value));
        }

        var month = Number(match.Groups["m"].Value);
        if (month is < 1 or > 12)
        {
            return null;
        }

        var yearText = match.Groups["y"].Value;
        int year;
        if (yearText.Length == 0)
        {
            year = month < today.Month ? today.Year + 1 : today.Year;
        }
        else
        {
            year = yearText switch
            {
                "今" or "本" => today.Year,
                "明" or "下" => today.Year + 1,
                "去" or "上" => today.Year - 1,
                "前" => today.Year - 2,
                "后" => today.Year + 2,
                _ => yearText.Length == 2 ? 2000 + Number(yearText) : Number(yearText),
            };
        }

        var endOfMonth = match.Groups["end"].Success;
        // "三月中旬", "三月下旬": the first day of that third of the month.
        var day = match.Groups["d"].Success ? Number(match.Groups["d"].Value) : endOfMonth ? DateTime.DaysInMonth(year, month)
            : match.Groups["mid"].Success ? 11 : match.Groups["late"].Success ? 21 : 1;
        // "2月29号" said without a year in March 2024: next year has no 29 February, this year's is the day meant.
        return TryDate(year, month, day) ?? (yearText.Length == 0 ? TryDate(today.Year, month, day) : null);
    }

    // The benefit year named, unless the notice's own is among those named ("23年参保了 24年的医保补交": last year's
    // enrolment is a fact, this year's the question).
    private static int? BenefitYearAsked(string canonical, InsurancePolicy policy, DateOnly today)
    {
        int? first = null;
        foreach (Match year in BenefitYearPattern().Matches(canonical))
        {
            var named = year.Groups["y"].Success
                ? (year.Groups["y"].Length == 2 ? 2000 : 0) + int.Parse(year.Groups["y"].Value, CultureInfo.InvariantCulture)
                : today.Year + (year.Groups["n"].Value == "后" ? 2 : 1);
            if (named == policy.BenefitYear)
            {
                return null;
            }

            first ??= named;
        }

        return first;
    }

    private static DateOnly? RelativeDate(string canonical, DateOnly today, bool[] consumed)
    {
        // "十天前", "半个月前", "两个礼拜以前": so long before today.
        if (AgoPattern().Match(canonical) is { Success: true } ago && !IsConsumed(consumed, ago.Index, ago.Length))
        {
            var n = ago.Groups["n"].Value == "半" ? 0 : Number(ago.Groups["n"].Value.Replace("两", "二", StringComparison.Ordinal));
            var unit = ago.Groups["u"].Value;
            DateOnly? before = ago.Groups["n"].Value == "半" ? (unit.EndsWith('月') ? today.AddDays(-15) : unit is "天" or "日" ? null : today.AddDays(-3))
                : n <= 0 ? null
                : unit.EndsWith('月') ? today.AddMonths(-n)
                : unit is "天" or "日" ? today.AddDays(-n)
                : today.AddDays(-7 * n);
            if (before is not null)
            {
                Consume(consumed, ago.Index, ago.Length);
                return before;
            }
        }

        // "这周五", "下周一", "下个星期三", "礼拜天": a day of this week (Monday first) or of a later one; a bare weekday
        // is the next such day (today included).
        if (WeekdayPattern().Match(canonical) is { Success: true } weekday && !IsConsumed(consumed, weekday.Index, weekday.Length))
        {
            var wanted = "一二三四五六".IndexOf(weekday.Groups["d"].Value[0], StringComparison.Ordinal) is var i and >= 0 ? i : 6;
            var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
            var which = weekday.Groups["w"].Value;
            DateOnly day;
            if (which.Length == 0)
            {
                day = monday.AddDays(wanted);
                day = day < today ? day.AddDays(7) : day;
            }
            else
            {
                var weeks = which switch { "下下" => 2, "下" => 1, "上" => -1, _ => 0 };
                day = monday.AddDays((7 * weeks) + wanted);
            }

            Consume(consumed, weekday.Index, weekday.Length);
            return day;
        }

        (string Word, DateOnly Date)[] words =
        [
            ("下个月底", EndOfMonth(today.AddMonths(1))),
            ("下月底", EndOfMonth(today.AddMonths(1))),
            ("下个月", new DateOnly(today.Year, today.Month, 1).AddMonths(1)),
            ("下月", new DateOnly(today.Year, today.Month, 1).AddMonths(1)),
            ("这个月底", EndOfMonth(today)),
            ("本月底", EndOfMonth(today)),
            ("月底", EndOfMonth(today)),
            ("月末", EndOfMonth(today)),
            ("上个月初", new DateOnly(today.Year, today.Month, 1).AddMonths(-1)),
            ("上月初", new DateOnly(today.Year, today.Month, 1).AddMonths(-1)),
            ("下个月初", new DateOnly(today.Year, today.Month, 1).AddMonths(1)),
            ("下月初", new DateOnly(today.Year, today.Month, 1).AddMonths(1)),
            ("月初", new DateOnly(today.Year, today.Month, 1)),
            ("年底", new DateOnly(today.Year, 12, 31)),
            ("年末", new DateOnly(today.Year, 12, 31)),
            ("大后天", today.AddDays(3)),
            ("后天", today.AddDays(2)),
            ("昨天", today.AddDays(-1)),
            ("大前天", today.AddDays(-3)),
            ("前天", today.AddDays(-2)),
            ("明天", today.AddDays(1)),
            ("今天", today),
        ];
        foreach (var (word, date) in words)
        {
            var at = canonical.IndexOf(word, StringComparison.Ordinal);
            if (at >= 0 && !IsConsumed(consumed, at, word.Length))
            {
                Consume(consumed, at, word.Length);
                return date;
            }
        }

        return null;
    }

    private static DateOnly EndOfMonth(DateOnly date) => new(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month));

    private static DateOnly? TryDate(int year, int month, int day) =>
        year is >= 1900 and <= 2100 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    private static int Number(string text) => text.Length == 0 ? 0 : (int)(ChineseNumber.Parse(text) ?? 0);

    private static bool IsConsumed(bool[] consumed, int at, int length)
    {
        for (var i = at; i < at + length; i++)
        {
            if (consumed[i])
            {
                return true;
            }
        }

        return false;
    }

    private static void Consume(bool[] consumed, int at, int length) => Array.Fill(consumed, true, at, length);

    private static int Residue(string canonical, bool[] consumed)
    {
        var rest = new StringBuilder();
        for (var i = 0; i < canonical.Length; i++)
        {
            if (!consumed[i])
            {
                rest.Append(canonical[i]);
            }
        }

        var text = rest.ToString();
        foreach (var glue in GlueWords)
        {
            text = text.Replace(glue, string.Empty, StringComparison.Ordinal);
        }

        return text.Length;
    }

    // Pronouns and copulas that carry no question ("我是低保户" is only a slot).
    private static readonly string[] GlueWords = ["我们家", "我家", "家里", "属于", "我是", "我们", "我", "是", "的", "有", "个", "家", "人", "还", "也", "呢", "啊", "吧", "哦", "那", "就"];

    private PolicyWords BuildWords(InsurancePolicy policy)
    {
        var categories = new List<(string Word, string Code)>();
        void Add(string name, string code)
        {
            var clean = normalizer.Canonicalize(normalizer.Clean(name));
            if (clean.Length >= 2 && !categories.Exists(c => c.Word == clean))
            {
                categories.Add((clean, code));
            }
        }

        foreach (var category in policy.Categories)
        {
            Add(StripParenthesised(category.Name), category.Code);
            Add(category.Name, category.Code);
            foreach (var alias in category.Aliases)
            {
                Add(StripParenthesised(alias), category.Code);
            }
        }

        foreach (var word in residentWords.Words.Keys)
        {
            if (residentWords.Resolve(policy, word) is { } category)
            {
                Add(word, category.Code);
            }
        }

        // Shorter everyday forms: 特困人员 → 特困, 低保对象 → 低保, 脱贫人口 → 脱贫 (first category wins a shared form).
        foreach (var (word, code) in categories.ToList())
        {
            foreach (var suffix in CategorySuffixes)
            {
                if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= 2)
                {
                    Add(word[..^suffix.Length], code);
                }
            }
        }

        var townships = new List<(string Word, string Name)>();
        foreach (var row in policy.Targets.SelectMany(t => t.Rows))
        {
            var clean = normalizer.Clean(row.Name);
            if (clean.Length >= 2 && clean != "社区")
            {
                townships.Add((clean, row.Name));
                foreach (var suffix in TownshipSuffixes)
                {
                    if (clean.EndsWith(suffix, StringComparison.Ordinal) && clean.Length - suffix.Length >= 2)
                    {
                        townships.Add((clean[..^suffix.Length], row.Name));
                    }
                }
            }
        }

        // Every place the notice itself names (its county, townships, prefecture, province): a place outside this text
        // asked about ("西平县的医保多少钱") is another county's question.
        var places = string.Join('\n', [policy.Name, policy.Title, .. policy.Clauses.Select(c => c.Text), .. townships.Select(t => t.Name)]);
        return new PolicyWords(
            categories.OrderByDescending(c => c.Word.Length).ToList(),
            townships.OrderByDescending(t => t.Word.Length).ToList(),
            places);
    }

    private static string StripParenthesised(string name)
    {
        var open = name.IndexOfAny(['（', '(']);
        return open > 0 ? name[..open] : name;
    }

    private static readonly string[] CategorySuffixes = ["人员", "对象", "人口", "患者", "户", "人"];

    private static readonly string[] TownshipSuffixes = ["街道", "镇", "乡"];

    private sealed record PolicyWords(IReadOnlyList<(string Word, string Code)> Categories, IReadOnlyList<(string Word, string Name)> Townships, string Places);

    [GeneratedRegex(@"(?<iy>\d{4})[-/.](?<im>\d{1,2})[-/.](?<id>\d{1,2})|(?:(?<y>\d{4}|\d{2}|[今明去前后本下上])年)?(?<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?(?:(?<d>3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])(?:[日号]|(?=[交缴办买]))|(?<end>底|末)|(?<mid>中旬)|(?<late>下旬))?")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"(?<n>\d+(?:\.\d{1,2})?|[零一二两三四五六七八九十百千万]{2,})(?<u>元|块钱|块|圆|快钱)?(?![0-9年月日号天岁档个周])")]
    private static partial Regex AmountPattern();

    [GeneratedRegex(@"(?:满)?(?<n>\d{1,3}|[一二三四五六七八九十]{1,3})(?:多|来)?(?:周)?岁")]
    private static partial Regex AgePattern();

    [GeneratedRegex(@"(?:今年|都|已经|满|娘|爹|妈|爸|爷|奶|儿子|女儿|自己|我|俺|老伴|媳妇|老婆|老公|孙子|孙女)(?<n>[1-9]\d|[二三四五六七八九]十[一二三四五六七八九]?)多?(?:了|岁)?(?![0-9元块年月号日个人口])")]
    private static partial Regex AgeWithoutUnitPattern();

    // "快满", "就满六十": an age not reached yet.
    [GeneratedRegex(@"快|就满|马上|还没|不到|差")]
    private static partial Regex NearAgePattern();

    // "老人六十多了": tens of years reached (了), no unit; not an amount (元, 块) nor a count of days or months.
    [GeneratedRegex(@"(?<n>[1-9]0|[5-9]\d|[二三四五六七八九]十[一二三四五六七八九]?)(?:多|来)?了(?![0-9元块年月号日天个])")]
    private static partial Regex AgeReachedPattern();

    [GeneratedRegex(@"(?:20)?(?<yy>\d{2})年(?:都|也)?(?<neg>没有|没|未)?(?:有医保|有保险|交了|交过|交的|参保了|参保|参加了|参加|买了|买过)")]
    private static partial Regex PaidInYearPattern();

    [GeneratedRegex(@"(?:(?<w>这|本|下下|下|上)个?)?(?:周|星期|礼拜)(?<d>[一二三四五六日天])")]
    private static partial Regex WeekdayPattern();

    [GeneratedRegex(@"(?<!没|没有|不是|无)(?:有|交了|交的|参加了|是)(?:城镇)?职工(?:医保|医疗保险)")]
    private static partial Regex EmployeeInsuredPattern();

    // Words before 县/区/市 that are not a place's name (我们县, 本县, 咱们区).
    private static readonly string[] NotAPlace = ["我", "俺", "咱", "你", "您", "本", "全", "这", "那", "该", "县", "城", "社", "市", "郊", "辖", "老家", "外"];

    // A place named right before what is asked of it: "西平县的医保", "驻马店市区居民医保" (居民医保 is 医保 by now).
    [GeneratedRegex(@"(?<name>[\u4e00-\u9fa5]{2,4}?)(?:市区|县城|县|区|市)(?:的|里的|那边的?|那里的?)?医保")]
    private static partial Regex PlacePattern();

    // An age every child named by MinorPattern has at most, well below 18 a year later.
    private const int MinorAge = 10;

    [GeneratedRegex(@"小孩|孩子|小朋友|儿童|未成年|小学|初中|幼儿园|托幼|在园幼儿")]
    private static partial Regex MinorPattern();

    [GeneratedRegex(@"以后|之后|过后|后(?!天)")]
    private static partial Regex AfterPattern();

    [GeneratedRegex(@"下半年|过了半年|过半年|半年以后|半年后|半年过了")]
    private static partial Regex SecondHalfPattern();

    [GeneratedRegex(@"年后|过完年|过了年|过年后|过年以后|过年回来|过年再交|开年|开春")]
    private static partial Regex NewYearPattern();

    [GeneratedRegex(@"(?<n>[两俩二三四五六七八九十仨]|\d{1,2})(?:口人|口子|口|个人|人)(?!员)|(?:一家人|家里人|家人|屋头人|屋里人)(?<n>[两俩二三四五六七八九十仨]|\d{1,2})个|老两口|两口子|夫妻俩|夫妻两个|我俩|我们俩|咱俩|俺俩|我们两个|我们两人")]
    private static partial Regex HeadCountPattern();

    [GeneratedRegex(@"(?<n>[两俩二三四五]|\d)个?(?:娃儿?|孩子|小孩|学生|大学生|老人|大人|老的|小的|孙子|孙女|闺女|儿子|女儿)|(?<n>一)个(?:娃儿?|孩子|小孩|学生|大学生|老人|大人|孙子|孙女|闺女|儿子|女儿)|(?:还有|再加上?|加上|外加|另外)(?<n>一)?个(?!人|问题|事|疑问|情况|地方|东西)(?:娃儿?|孩子|小孩|孙子|孙女|孙孙|闺女|儿子|女儿|老人|学生|大学生)?")]
    private static partial Regex ChildrenPattern();

    [GeneratedRegex(@"(?<n>[一两俩二三四五六七八九十]|\d)?个(?:大人|人|娃儿?|孩子|小孩|学生|大学生|老人)|(?<n>[两俩二三四五六七八九十]|\d)(?:个)?(?:大人|娃儿?|孩子|小孩|老人|老的|小的|孙子|孙女|闺女|儿子|女儿)|(?:其他|其余|剩下)(?<n>[两俩仨二三四五六七八九十]|\d)(?:个)?|^(?:还有|再加上?|加上|外加|另外)(?<n>[一两俩二三])?个(?!问题|事|疑问|情况|地方|东西)|^个(?!人|问题|事|疑问|情况|地方|东西)|有(?<n>[一两俩二三])?个(?!人|问题|事|疑问|情况|地方|东西|档)|(?<n>[一两俩仨二三四五六七八九十]|\d)个(?=都?交|都?是|都?买|都?参|[一二12]档)")]
    private static partial Regex MemberPattern();

    [GeneratedRegex(@"一共|总共|共计|合计|加起来|共交|共要|共需")]
    private static partial Regex TotalPattern();

    // The household said in residents' words (家里, 屋头, 屋里): a head count with it is the household's total.
    [GeneratedRegex(@"家|屋头|屋里|户口本上")]
    private static partial Regex HouseholdPattern();

    [GeneratedRegex(@"好多|多少|几多|一共|总共|合计")]
    private static partial Regex AmountAskedPattern();

    [GeneratedRegex(@"^(?:就|只有|只|光|仅|就只有)(?=[我俺])")]
    private static partial Regex OnlyPattern();

    [GeneratedRegex(@"^(?:我们|俺们|咱们|我|俺)?(?:老两口|两口子|夫妻俩|夫妻两个|我俩|我们俩|咱俩|俺俩|我们两个|我们两人|俺两口)")]
    private static partial Regex CouplePattern();

    [GeneratedRegex(@"^(?:[两俩仨二三四五六七八九十]|\d{1,2})个?(?:人)?都")]
    private static partial Regex AllOfThemPattern();


    [GeneratedRegex(@"\G.{0,3}?(?:加上|加|还有|再加|带着|带)(?<n>[一两俩二三四五]|\d)个?(?:娃儿?|孩子|小孩|闺女|儿子|女儿|孙子|孙女|外孙|老人|学生)")]
    private static partial Regex JoinedCountPattern();

    [GeneratedRegex(@"今天|今日|今儿")]
    private static partial Regex TodayPattern();

    [GeneratedRegex(@"和|跟|还有|加上|同|带")]
    private static partial Regex ConnectorPattern();

    // "爹娘俩", "爸妈两个", "父母二老": a pair said to be two.
    [GeneratedRegex(@"(?:爸妈|爹妈|爹娘|父母|公婆|爷爷奶奶|姥姥姥爷|老爹老娘)(?:俩|两个|两人|二人|二老)")]
    private static partial Regex PairCountPattern();

    [GeneratedRegex(@"我(?:和|跟|同)|(?:和|跟|同)我|加上我|还有我|连我")]
    private static partial Regex JoinedMePattern();

    // A pair named in one word ("爸妈", "公婆") is two people.
    private static int KinCount(string text)
    {
        var count = 0;
        foreach (Match match in KinPattern().Matches(text))
        {
            count += PairPattern().IsMatch(match.Value) ? 2 : 1;
        }

        return count;
    }

    [GeneratedRegex(@"^(?:我|俺)?(?:爸妈|爹妈|爹娘|父母|公婆|爷爷奶奶|姥姥姥爷)$")]
    private static partial Regex PairPattern();

    [GeneratedRegex(@"(?:国家|政府|财政)(?:那头|那边|那块|那里|这边)?(?:还|也|再)?(?:给|补|出|贴|资助)|给补|补(?:多少|好多|几多)|个人加国家|加上国家|国家加个人|总共一个人")]
    private static partial Regex SubsidyQuestionPattern();

    [GeneratedRegex(@"^份?(?:补|才|就|已经|已)?(?:交|缴|办|买)的")]
    private static partial Regex PaidThenPattern();

    [GeneratedRegex(@"^.{0,9}?(?:交|缴)了(?!啥|什么|多久|好久|以后|之后|后|就|能|可以|才|再)")]
    private static partial Regex PaidDonePattern();

    [GeneratedRegex(@"截止|截至|最晚|最迟|最后|到什么时候|到啥时候|到好久|到哪天|到几号|之前|以前|期限|来得及|赶得上|还能交|还可以交|还能补|能补到|还收不收|还收吗|过期|晚了|错过|过了|补交|补缴|以后交|之后交|以后再交|之后再交")]
    private static partial Regex LastDayQuestionPattern();

    // A when-word, then (within a few characters) cover taking effect: 管用, 能用, 生效, 起作用, 享受待遇, 能报, 开始管;
    // or which year or days cover runs ("管哪一年", "管到什么时候", "待遇从几号到几号", "从哪天用到哪天", "交的是哪一年的医保").
    [GeneratedRegex(@"(?:什么时候|啥时候|啥时|好久|哪天|哪一天|几号|几时|何时|多久|从哪天|从什么时候).{0,4}(?:开始|起)?(?:管用|能用|可以用|开始用|起用|有效|生效|起作用|享受|能报|可以报|报得了|管)|管(?:到|的是)?(?:哪一年|哪年|哪天|几号|什么时候|啥时候)|待遇(?:期|享受期|保障期)?(?:是)?(?:从)?(?:几号|哪天|哪一天|什么时候|啥时候|好久|多会)|(?:哪一年|哪年)的(?:医保|待遇)|保(?:的是)?(?:哪一年|哪年)|用到(?:哪天|哪一天|几号|什么时候|啥时候|好久|哪年|哪一年|多会)|管(?:多长时间|多长|多久)|有效期|(?:马上|立刻|立马|当天|当月)就?(?:能|可以)?(?:用|报|管用|生效)")]
    private static partial Regex CoverWhenPattern();

    // A benefit year named: digits, or 明年/后年, before the scheme or what it costs or when ("2026年的医保", "明年的交费标准");
    // not a date ("2024年3月1日").
    [GeneratedRegex(@"(?:(?<!\d)(?<y>20\d{2}|\d{2})年|(?<n>明|后)年)度?(?!\d|[一二三四五六七八九十]+月)的?(?:医保|交费|缴费|标准|待遇|要交|交多少|啥时候|什么时候|多会)")]
    private static partial Regex BenefitYearPattern();

    [GeneratedRegex(@"(?<n>\d{1,3}|[一二两三四五六七八九十]{1,3}|半)(?<u>天|日|个星期|个礼拜|星期|礼拜|周|个月|月)(?:以前|之前|前)")]
    private static partial Regex AgoPattern();

    [GeneratedRegex(@"(?<w>上|下|这|本)个?月(?<d>\d{1,2}|[一二三四五六七八九十]{1,3})(?:号|日)")]
    private static partial Regex MonthDayPattern();

    // The day cover runs to, after a word of cover lasting ("用到年底", "管到12月31号", "待遇到明年").
    [GeneratedRegex(@"(?:用到|管到|保到|享受到|有效到|待遇到|报销到)(?:年底|年末|月底|月末|明年|后年|\d{1,4}年?(?:\d{1,2}月)?(?:\d{1,2}[号日])?|[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}[号日])?)")]
    private static partial Regex CoverEndPattern();

    [GeneratedRegex(@"^(?:我|俺)?(?:(?<neg>没有|没得|没|没参加|没交|没买|不是)|有|有的|交了|参加了|买了|是)(?:城镇)?职工医保(?:的)?$")]
    private static partial Regex AtWorkReplyPattern();

    // A day after a payment said, asked as a day of use ("交了 明年一号就能看病了吧", "交了 元旦能报销不").
    [GeneratedRegex(@"(?<=(?:交了|交过|交上了|交完了?|已经交).{0,8})(?:明年|今年|下个月)?(?:\d{1,2}月|[一二三四五六七八九十]{1,3}月)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[号日](?:那天|起)?(?:就|就能|能不能|能|可以|就可以)(?:看病|报销|用|住院)")]
    private static partial Regex UseDayPattern();

    [GeneratedRegex(@"其他|其余|剩下|另外")]
    private static partial Regex RestPattern();

    [GeneratedRegex(@"(?:没有|没|不是|不属于|非|无)$")]
    private static partial Regex NegationPattern();

    [GeneratedRegex(@"(?:我|俺)?(?:爸妈|爹妈|爹娘|父母|公婆)|爷爷奶奶|姥姥姥爷|老伴儿?|老公|老婆子|老婆|老汉|老头子?|老太婆|老太太|老爷子|婆娘|堂客|孙娃|孙孙|孙儿|幺儿|闺女|儿媳妇|媳妇|爱人|丈夫|妻子|儿子|女儿|儿媳|女婿|孙子|孙女|外孙女?|孩子|娃|老爸|老妈|父亲|母亲|爸爸|妈妈|我爸|我妈|俺爹|俺娘|公公|婆婆|爷爷|奶奶|姥姥|姥爷|外公|外婆|哥哥|姐姐|弟弟|妹妹")]
    private static partial Regex KinPattern();

    [GeneratedRegex(@"第?(?<t>[一二12]|高|低)(?:档|类档|等)")]
    private static partial Regex TierPattern();

    [GeneratedRegex(@"大学生|读大学|上大学|在渝高校|(?:在|到|去|来)重庆入学|高校|大学|大专|中专|职校|新生入学|研究生|读研|考研|硕士|博士|本科|专科|[上读念]大[一二三四五]|大[一二三四五]新生|大[一二三四五]学生|大[一二三四](?:的)?(?=娃|孩子|儿子|女儿|闺女|那年|开学|报到|入学)|研[一二三]")]
    private static partial Regex CollegePattern();

    [GeneratedRegex(@"大一|研一|新生(?!儿)|入学|录取|考上|考进|报到|(?:今年|刚|才|新)(?:上|读|去读|去上|进)了?(?:大学|研究生|高校|研)")]
    private static partial Regex FreshmanPattern();

    [GeneratedRegex(@"中小学生?|小学生?|初中生?|高中生?|中学生?|特殊教育学校|特教学校|特殊学校|幼儿园|托幼|在园幼儿|中职|职高")]
    private static partial Regex SchoolPattern();

    [GeneratedRegex(@"学生|上学|读书|在校")]
    private static partial Regex AnyStudentPattern();

    [GeneratedRegex(@"新生儿|刚出生|刚生|生孩子|生了|今年生的|今年出生|才生的|没满月|刚满月|生下来|刚添了?个|新添了?个")]
    private static partial Regex NewbornPattern();

    [GeneratedRegex(@"(?<w>大前天|前天|昨天|今天)(?:刚|才)?(?:出生|生)")]
    private static partial Regex RelativeBirthPattern();

    [GeneratedRegex(@"(?:去年|上年|上一年|上年度|去年度)(?<neg>没有|没|未|不)?(?:有)?(?:交|参保|参加|买)")]
    private static partial Regex PaidLastYearPattern();

    [GeneratedRegex(@"风险(?:还|都)?(?<neg>未|没有|没|还没有|还没|不)?(?:已经|已|都)?(?:消除|解除|消掉|销号|消)|(?<neg>未|没有|没)(?:消除|销号)|(?<neg>没有|没|未)(?:解除|消除)风险")]
    private static partial Regex RiskPattern();

    [GeneratedRegex(@"(?<neg>不在|不是在|没在|没有在)重庆(?:读书|上学|念书|读|上|念)?(?:的)?|(?<neg>外省|省外)(?:读书|上学|念书|读|上|念)?(?:的)?|(?:是|就)?在(?:重庆|渝)(?:读书|上学|念书|读|上|念)?(?:的)?")]
    private static partial Regex CollegePlacePattern();

    // "要好久之内去办", "多少天以内": how long one has, not a day; "90天是从哪天开始算": from when it counts.
    [GeneratedRegex(@"(?:好久|多久|多长时间|多少天|几天|几个月|多少日)(?:之内|以内|内)|(?:从)?(?:哪天|什么时候|啥时候|哪一天)(?:开始)?(?:算|起算)")]
    private static partial Regex WithinQuestionPattern();

    // "比普通人少好多", "跟一般人交的一样不", "比我们便宜多少": the group's amount set against any resident's.
    [GeneratedRegex(@"(?:比|跟|和|同|与)(?:普通|一般)(?:人|居民|老百姓|群众|的)|比(?:我们|咱们|俺们|大人|别人|其他人)(?:交的)?(?:少|便宜|多|贵|低|高)|(?:跟|和|同)(?:我们|咱们|俺们|大人|别人|其他人)(?:大人)?(?:交的|交得)?一样")]
    private static partial Regex OrdinaryComparisonPattern();

    [GeneratedRegex(@"^(?:我|我们|我家)?(?:是|就是|只是|属于)?(?:普通|一般)(?:人|的|居民|老百姓|农民|群众|人员)?|^(?:都)?(?:不是|没有|不属于|都不是)(?:的|啊|呀|哦)?$")]
    private static partial Regex OrdinaryPattern();
}
