using System.Collections.Frozen;

namespace WeChatAssist.Policy;

/// <summary>Reads and validates one policy YAML file into an <see cref="InsurancePolicy"/>.</summary>
internal sealed class PolicyFileReader
{
    private readonly string _file;
    private readonly Dictionary<string, PolicyClause> _clauses = new(StringComparer.Ordinal);
    private string _policyId = string.Empty;
    private string _documentNumber = string.Empty;
    private IReadOnlyList<NationalLayer> _national = [];
    private bool _overridesNationalWaiting;

    private PolicyFileReader(string file) => _file = file;

    public static InsurancePolicy Read(TextReader text, string file)
    {
        return new PolicyFileReader(file).ReadRoot(YamlMap.LoadRoot(text, file, PolicyVocabulary.Root, "a policy file"));
    }

    private InsurancePolicy ReadRoot(YamlMap root)
    {
        var version = root.Int("formatVersion");
        if (version != PolicyAssembly.FormatVersion)
        {
            throw root.Error(root.Required("formatVersion"), $"format version {version} is not supported (expected {PolicyAssembly.FormatVersion})");
        }

        _policyId = root.Str("id");
        _documentNumber = root.OptStr("documentNumber") ?? string.Empty;
        ReadClauses(root);
        _national = NationalLayers.For(root.Int("benefitYear"));
        var nationalOverrideCites = ReadNationalOverride(root);

        var tiers = root.MapList("tiers").Select(ReadTier).ToList();
        if (tiers.Count == 0)
        {
            throw root.Error("at least one tier is required");
        }

        if (tiers.Select(t => t.Number).Distinct().Count() != tiers.Count)
        {
            throw root.Error(root.Required("tiers"), "tier numbers must be unique");
        }

        var fiscal = root.Map("fiscalSubsidy");
        var collection = root.Map("collection");
        var window = collection.Map("window");
        var benefit = collection.Map("benefit");
        var windowRange = ReadRange(window);
        var benefitRange = ReadRange(benefit);
        var noPay = collection.OptMap("noPaymentFromDay");
        int? noPayDay = null;
        IReadOnlyList<PolicyClause> noPayCites = [];
        if (noPay is not null)
        {
            noPayDay = noPay.Int("day");
            if (noPayDay is < 2 or > 31)
            {
                throw noPay.Error("'day' must be between 2 and 31");
            }

            noPayCites = Cites(noPay);
            noPay.EnsureNoUnknownKeys();
        }

        collection.EnsureNoUnknownKeys();

        var (regimes, lateNotStated) = ReadLate(root, windowRange);
        var categories = root.MapList("categories", required: false).Select(c => ReadCategory(c, tiers)).ToList();
        var precedence = ReadPrecedence(root, categories);
        var (byCode, byName) = IndexCategories(root, categories, precedence);

        var policy = new InsurancePolicy
        {
            Id = _policyId,
            Name = root.Str("name"),
            Issuer = root.Str("issuer"),
            DocumentNumber = _documentNumber,
            Title = root.Str("title"),
            BenefitYear = root.Int("benefitYear"),
            SourceFile = _file,
            Clauses = _clauses.Values.ToList(),
            FiscalSubsidyFen = fiscal.Fen("yuan"),
            FiscalSubsidyCites = Cites(fiscal),
            Tiers = tiers,
            CollectionWindow = windowRange,
            CollectionWindowCites = Cites(window),
            BenefitPeriod = benefitRange,
            BenefitPeriodCites = Cites(benefit),
            NoPaymentFromDay = noPayDay,
            NoPaymentCites = noPayCites,
            LateRegimes = regimes,
            LateNotStatedCites = lateNotStated,
            National = _national,
            NationalOverrideCites = nationalOverrideCites,
            OverridesNationalWaitingPeriod = _overridesNationalWaiting,
            Newborn = ReadNewborn(root),
            College = ReadCollege(root),
            SchoolCites = Cites(root, "schoolCites", required: false),
            Categories = categories,
            Precedence = precedence,
            CategoryListCites = Cites(root, "categoryListCites"),
            Contacts = root.MapList("contacts").Select(ReadContact).ToList(),
            PaymentChannels = root.MapList("paymentChannels", required: false).Select(ReadChannel).ToList(),
            Targets = root.MapList("targets", required: false).Select(ReadTargets).ToList(),
            CoverageTargets = root.MapList("coverageTargets", required: false).Select(ReadCoverageTarget).ToList(),
            Reporting = root.MapList("reporting", required: false).Select(ReadReporting).ToList(),
            Facts = root.MapList("facts", required: false).Select(ReadFact).ToList(),
            Dates = root.MapList("dates", required: false).Select(ReadDate).ToList(),
        };
        window.EnsureNoUnknownKeys();
        benefit.EnsureNoUnknownKeys();
        fiscal.EnsureNoUnknownKeys();
        root.EnsureNoUnknownKeys();

        if (policy.BenefitPeriod.From.Year != policy.BenefitYear)
        {
            throw benefit.Error($"benefit period starts in {policy.BenefitPeriod.From.Year}, not in benefit year {policy.BenefitYear}");
        }

        if (policy.BenefitPeriod.To.Year != policy.BenefitYear)
        {
            throw benefit.Error(benefit.Required("to"), $"benefit period ends in {policy.BenefitPeriod.To.Year}, not in benefit year {policy.BenefitYear}");
        }

        if (policy.CollectionWindow.From > policy.BenefitPeriod.To)
        {
            throw window.Error(window.Required("from"), $"collection window opens {policy.CollectionWindow.From:yyyy-MM-dd}, after benefit year {policy.BenefitYear} has ended");
        }

        policy.Index(byCode, byName, _clauses.ToFrozenDictionary(StringComparer.Ordinal));
        return policy;
    }

    private void ReadClauses(YamlMap root)
    {
        foreach (var c in root.MapList("clauses"))
        {
            var id = c.Str("id");
            if (_clauses.ContainsKey(id))
            {
                throw c.Error($"duplicate clause id '{id}'");
            }

            _clauses[id] = new PolicyClause(_policyId, id, c.Str("numbering"), c.Str("text").Trim(), c.OptStr("documentNumber") ?? _documentNumber);
            c.EnsureNoUnknownKeys();
        }
    }

    private List<PolicyClause> Cites(YamlMap map, string key = "cites", bool required = true)
    {
        var ids = map.StrList(key, required);
        if (required && ids.Count == 0)
        {
            throw map.Error($"'{key}' must cite at least one clause");
        }

        var list = new List<PolicyClause>(ids.Count);
        foreach (var (id, node) in ids)
        {
            if (!_clauses.TryGetValue(id, out var clause))
            {
                throw map.Error(node, $"dangling clause id '{id}' in '{key}'");
            }

            list.Add(clause);
        }

        return list;
    }

    private static DateRange ReadRange(YamlMap map)
    {
        var range = new DateRange(map.Date("from"), map.Date("to"));
        if (range.To < range.From)
        {
            throw map.Error($"'to' {range.To:yyyy-MM-dd} is before 'from' {range.From:yyyy-MM-dd}");
        }

        return range;
    }

    private ContributionTier ReadTier(YamlMap t)
    {
        var tier = new ContributionTier(t.Int("tier"), t.Fen("yuan"), t.OptFen("collegeYuan"), Cites(t));
        t.EnsureNoUnknownKeys();
        return tier;
    }

    private (IReadOnlyList<LateRegime> Regimes, IReadOnlyList<PolicyClause> NotStated) ReadLate(YamlMap root, DateRange window)
    {
        var late = root.Map("late");
        var notStated = late.OptMap("notStated");
        var regimes = new List<LateRegime>();
        var spans = new List<(DateRange Range, YamlMap Map, string Name)> { (window, late, "collection window") };
        foreach (var r in late.MapList("regimes", required: false))
        {
            var regime = ReadRegime(r);
            CheckAgainstNational(regime, r);
            foreach (var (range, _, name) in spans)
            {
                if (range.Overlaps(regime.Period))
                {
                    throw r.Error($"late regime '{regime.Id}' ({regime.Period.From:yyyy-MM-dd}..{regime.Period.To:yyyy-MM-dd}) overlaps {name} ({range.From:yyyy-MM-dd}..{range.To:yyyy-MM-dd})");
                }
            }

            spans.Add((regime.Period, r, $"late regime '{regime.Id}'"));
            regimes.Add(regime);
        }

        IReadOnlyList<PolicyClause> notStatedCites = [];
        if (notStated is not null)
        {
            if (regimes.Count > 0)
            {
                throw notStated.Error("'notStated' and 'regimes' exclude each other");
            }

            notStatedCites = Cites(notStated);
            notStated.EnsureNoUnknownKeys();
        }
        else if (regimes.Count == 0)
        {
            throw late.Error("'late' must list 'regimes' or say 'notStated' with its citations");
        }

        late.EnsureNoUnknownKeys();
        return (regimes.OrderBy(r => r.Period.From).ToList(), notStatedCites);
    }

    private List<PolicyClause> ReadNationalOverride(YamlMap root)
    {
        if (root.OptMap("national") is not { } n)
        {
            return [];
        }

        var layerId = n.Str("layer");
        if (!_national.Any(l => l.Id == layerId))
        {
            var known = NationalLayers.Shipped.FirstOrDefault(l => l.Id == layerId);
            throw n.Error(n.Required("layer"), known is null
                ? $"no national layer '{layerId}' (known: {string.Join(", ", NationalLayers.Shipped.Select(l => l.Id))})"
                : $"national layer '{layerId}' applies from benefit year {known.FromBenefitYear}, not to {root.Int("benefitYear")}; there is nothing to override");
        }

        foreach (var (rule, node) in n.StrList("overrides"))
        {
            _overridesNationalWaiting |= rule switch
            {
                "waitingPeriod" => true,
                _ => throw n.Error(node, $"unknown national rule '{rule}' (waitingPeriod)"),
            };
        }

        var cites = Cites(n);
        n.EnsureNoUnknownKeys();
        return cites;
    }

    // Both the county and the national layer speak about payment outside the collection window: a county cover start
    // sooner than the national fixed waiting period contradicts it. 90 days or more agree with "3个月" (the notices
    // count waits in days; a calendar-month wait is never shorter than 28 days a month).
    private void CheckAgainstNational(LateRegime regime, YamlMap r)
    {
        if (_overridesNationalWaiting || _national.LastOrDefault(l => l.WaitingPeriod is not null) is not { WaitingPeriod: { } national } layer)
        {
            return;
        }

        var clause = national.Cites[0];
        var said = $"{layer.DocumentNumber} {clause.Numbering} sets a fixed waiting period of {national.FixedMonths} months from benefit year {layer.FromBenefitYear} for payment outside the collection period";
        var fix = $"; if the notice really says so, declare `national: {{ layer: {layer.Id}, overrides: [waitingPeriod], cites: [...] }}`";
        switch (regime.BenefitStart)
        {
            case BenefitStartRule.NextMonthFirst:
                throw r.Error(r.Required("benefitStart"), $"late regime '{regime.Id}' starts cover on the 1st of the next month, but {said}{fix}");
            case BenefitStartRule.AfterWaitingDays when regime.Waiting!.Amount < national.FixedMonths * 30:
            case BenefitStartRule.AfterWaitingMonths when regime.Waiting!.Amount < national.FixedMonths:
                var unit = regime.Waiting.Unit == DurationUnit.Days ? "days" : "months";
                throw r.Error(r.Required("waiting"), $"late regime '{regime.Id}' waits {regime.Waiting.Amount} {unit}, but {said}{fix}");
        }
    }

    private LateRegime ReadRegime(YamlMap r)
    {
        var startText = r.Str("benefitStart");
        var start = startText switch
        {
            "nextMonthFirst" => BenefitStartRule.NextMonthFirst,
            "afterWaiting" => BenefitStartRule.AfterWaitingDays,
            _ => throw r.Error(r.Required("benefitStart"), $"unknown benefitStart '{startText}' (nextMonthFirst | afterWaiting)"),
        };
        CountedDuration? waiting = null;
        if (r.OptMap("waiting") is { } w)
        {
            waiting = ReadDuration(w);
            if (waiting.Unit == DurationUnit.Months)
            {
                start = BenefitStartRule.AfterWaitingMonths;
            }
        }

        if (start != BenefitStartRule.NextMonthFirst && waiting is null)
        {
            throw r.Error("'afterWaiting' needs a 'waiting' duration");
        }

        var subsidiesText = r.OptStr("subsidies") ?? "keep";
        var subsidies = subsidiesText switch
        {
            "keep" => LateSubsidyTreatment.Keep,
            "notStated" => LateSubsidyTreatment.NotStated,
            "forfeited" => LateSubsidyTreatment.Forfeited,
            _ => throw r.Error(r.Required("subsidies"), $"unknown subsidies '{subsidiesText}' (keep | notStated | forfeited)"),
        };
        var minimum = r.OptFen("minimumYuan");
        var regime = new LateRegime
        {
            Id = r.Str("id"),
            Period = ReadRange(r),
            BenefitStart = start,
            Waiting = waiting,
            ResidentPaysFiscalSubsidy = r.Bool("residentPaysFiscalSubsidy", false),
            MinimumFen = minimum,
            Subsidies = subsidies,
            RequiresPaidLastYear = r.Bool("requiresPaidLastYear", false),
            CollegeRateStated = r.Bool("collegeRateStated", true),
            Deadline = r.OptDate("deadline"),
            Cites = Cites(r),
        };
        if (regime.Deadline is { } d && d < regime.Period.To)
        {
            throw r.Error($"deadline {d:yyyy-MM-dd} ends before the regime does");
        }

        r.EnsureNoUnknownKeys();
        return regime;
    }

    /// <summary>A duration must say how it is counted: "自X之日起" counts from the next day or not.</summary>
    private static CountedDuration ReadDuration(YamlMap w)
    {
        var days = w.OptInt("days");
        var months = w.OptInt("months");
        if (days is null == months is null)
        {
            throw w.Error("a duration needs exactly one of 'days' or 'months'");
        }

        if (!w.Has("countFromNextDay"))
        {
            throw w.Error("duration without its counting rule: add 'countFromNextDay: true|false'");
        }

        var duration = new CountedDuration(days ?? months!.Value, days is null ? DurationUnit.Months : DurationUnit.Days, w.Bool("countFromNextDay", true));
        w.EnsureNoUnknownKeys();
        return duration;
    }

    private NewbornRule? ReadNewborn(YamlMap root)
    {
        if (root.OptMap("newborn") is not { } n)
        {
            return null;
        }

        var rule = new NewbornRule
        {
            BornWithin = new DateRange(n.Date("bornFrom"), n.Date("bornTo")),
            Window = ReadDuration(n.Map("window")),
            Cites = Cites(n),
        };
        n.EnsureNoUnknownKeys();
        return rule;
    }

    private CollegeRule? ReadCollege(YamlMap root)
    {
        if (root.OptMap("college") is not { } c)
        {
            return null;
        }

        var transition = c.Map("transition");
        var rule = new CollegeRule
        {
            FreshmanCites = Cites(c, "freshmanCites"),
            TransitionCover = ReadRange(transition),
            TransitionCites = Cites(transition),
        };
        transition.EnsureNoUnknownKeys();
        c.EnsureNoUnknownKeys();
        return rule;
    }

    private SubsidyCategory ReadCategory(YamlMap c, List<ContributionTier> tiers)
    {
        var code = c.Str("code");
        if (code.Length == 0 || !code.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-'))
        {
            throw c.Error($"category code '{code}' must be lower-case ASCII letters, digits and '-'");
        }

        if (!c.Has("status"))
        {
            throw c.Error($"category '{code}' has no subsidy rule: add 'status: stated | notStated | none' (with its tiers when stated)");
        }

        var statusText = c.Str("status");
        var status = statusText switch
        {
            "stated" => SubsidyStatus.Stated,
            "notStated" => SubsidyStatus.NotStated,
            "none" => SubsidyStatus.NoSubsidy,
            _ => throw c.Error(c.Required("status"), $"unknown status '{statusText}' (stated | notStated | none)"),
        };
        var subsidies = new List<CategorySubsidy>();
        foreach (var s in c.MapList("tiers", required: status == SubsidyStatus.Stated))
        {
            subsidies.Add(ReadCategorySubsidy(s, tiers, code));
        }

        if (status == SubsidyStatus.Stated && subsidies.Count == 0)
        {
            throw c.Error($"category '{code}' is stated but lists no tier");
        }

        if (status != SubsidyStatus.Stated && subsidies.Count > 0)
        {
            throw c.Error($"category '{code}' lists amounts but its status is '{statusText}'");
        }

        var funder = c.OptStr("funder");
        var funderNotStated = c.Bool("funderNotStated", false);
        if (status == SubsidyStatus.Stated && funder is null && !funderNotStated)
        {
            throw c.Error($"category '{code}' needs a 'funder' or 'funderNotStated: true'");
        }

        var modeText = c.OptStr("mode") ?? "none";
        var mode = ParseMode(c, modeText, "mode");
        if (status == SubsidyStatus.Stated && mode == SubsidyMode.None)
        {
            throw c.Error($"category '{code}' is stated but has no 'mode' (direct | reimbursed)");
        }

        var riskCleared = c.OptStr("modeWhenRiskCleared") is { } rc ? ParseMode(c, rc, "modeWhenRiskCleared") : (SubsidyMode?)null;
        AgeCondition? age = null;
        if (c.OptMap("age") is { } a)
        {
            age = new AgeCondition(a.OptInt("atLeast"), a.OptInt("below"), Cites(a));
            if (age.AtLeast is null && age.Below is null)
            {
                throw a.Error("an age condition needs 'atLeast' or 'below'");
            }

            a.EnsureNoUnknownKeys();
        }

        IReadOnlyList<PolicyClause> exceptionCites = [];
        string? exceptionFunder = null;
        if (c.OptMap("lateFiscalException") is { } e)
        {
            exceptionFunder = e.Str("fiscalPartFunder");
            exceptionCites = Cites(e);
            e.EnsureNoUnknownKeys();
        }

        var category = new SubsidyCategory
        {
            Code = code,
            Name = c.Str("name"),
            Aliases = c.StrList("aliases", required: false).Select(x => x.Value).ToList(),
            Department = c.OptStr("department"),
            Funder = funder,
            FunderCites = Cites(c, "funderCites", required: status == SubsidyStatus.Stated),
            Mode = mode,
            ModeWhenRiskCleared = riskCleared,
            ModeCites = Cites(c, "modeCites", required: status == SubsidyStatus.Stated),
            Status = status,
            Subsidies = subsidies,
            ExcludedBy = c.StrList("excludedBy", required: false).Select(x => x.Value).ToList(),
            ExclusionCites = Cites(c, "exclusionCites", required: c.Has("excludedBy")),
            Age = age,
            LateFiscalExceptionCites = exceptionCites,
            LateFiscalExceptionFunder = exceptionFunder,
            Cites = Cites(c),
        };
        c.EnsureNoUnknownKeys();
        return category;
    }

    private static SubsidyMode ParseMode(YamlMap c, string text, string key) => text switch
    {
        "direct" => SubsidyMode.Direct,
        "reimbursed" => SubsidyMode.Reimbursed,
        "none" => SubsidyMode.None,
        _ => throw c.Error(c.Required(key), $"unknown {key} '{text}' (direct | reimbursed | none)"),
    };

    private static CategorySubsidy ReadCategorySubsidy(YamlMap s, List<ContributionTier> tiers, string code)
    {
        var number = s.Int("tier");
        var tier = tiers.Find(t => t.Number == number) ?? throw s.Error($"category '{code}' names tier {number}, which the policy does not have");
        long subsidy;
        if (s.Has("percent"))
        {
            // Percent of the tier's individual contribution, rounded half away from zero (DESIGN.md).
            var percent = s.Decimal("percent");
            subsidy = (long)Math.Round(tier.IndividualFen * percent / 100m, MidpointRounding.AwayFromZero);
            if (s.Has("yuan") && s.Fen("yuan") != subsidy)
            {
                throw s.Error($"category '{code}' tier {number}: {percent}% of {tier.IndividualFen / 100m} is not the stated subsidy");
            }
        }
        else
        {
            subsidy = s.Fen("yuan");
        }

        var individual = s.Fen("individualYuan");
        if (subsidy < 0 || individual < 0 || subsidy + individual != tier.IndividualFen)
        {
            throw s.Error($"category '{code}' tier {number}: subsidy {subsidy / 100m} + individual {individual / 100m} does not equal the tier's {tier.IndividualFen / 100m}");
        }

        s.EnsureNoUnknownKeys();
        return new CategorySubsidy(number, subsidy, individual);
    }

    private static List<string> ReadPrecedence(YamlMap root, List<SubsidyCategory> categories)
    {
        var list = new List<string>();
        foreach (var (code, node) in root.StrList("precedence", required: false))
        {
            if (!categories.Exists(c => c.Code == code))
            {
                throw root.Error(node, $"precedence names unknown category '{code}'");
            }

            if (list.Contains(code))
            {
                throw root.Error(node, $"precedence lists '{code}' twice");
            }

            list.Add(code);
        }

        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in categories)
        {
            if (!codes.Add(c.Code))
            {
                throw root.Error(root.Required("categories"), $"duplicate category code '{c.Code}'");
            }

            foreach (var excluded in c.ExcludedBy)
            {
                if (!categories.Exists(x => x.Code == excluded))
                {
                    throw root.Error(root.Required("categories"), $"category '{c.Code}' is excluded by unknown category '{excluded}'");
                }
            }
        }

        return list;
    }

    private static (FrozenDictionary<string, SubsidyCategory>, FrozenDictionary<string, SubsidyCategory>) IndexCategories(
        YamlMap root, List<SubsidyCategory> categories, List<string> precedence)
    {
        var byName = new Dictionary<string, SubsidyCategory>(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            foreach (var name in category.Aliases.Prepend(category.Name))
            {
                var full = CategoryNameKey.Normalize(name);
                foreach (var key in new[] { full, CategoryNameKey.StripParentheses(full) }.Distinct())
                {
                    if (key.Length == 0)
                    {
                        continue;
                    }

                    if (byName.TryGetValue(key, out var other) && other != category)
                    {
                        var a = precedence.IndexOf(other.Code);
                        var b = precedence.IndexOf(category.Code);
                        if (a < 0 || b < 0)
                        {
                            throw root.Error(root.Required("categories"),
                                $"category name '{key}' is matched by both '{other.Code}' and '{category.Code}' without declared precedence");
                        }

                        if (b < a)
                        {
                            byName[key] = category;
                        }

                        continue;
                    }

                    byName[key] = category;
                }
            }
        }

        return (categories.ToFrozenDictionary(c => c.Code, StringComparer.Ordinal), byName.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private PolicyContact ReadContact(YamlMap c)
    {
        var contact = new PolicyContact(c.Str("name"), c.OptStr("phone"), c.Str("role"), Cites(c));
        c.EnsureNoUnknownKeys();
        return contact;
    }

    private PaymentChannel ReadChannel(YamlMap c)
    {
        var channel = new PaymentChannel(c.Str("name"), c.Str("description"), Cites(c));
        c.EnsureNoUnknownKeys();
        return channel;
    }

    private TargetTable ReadTargets(YamlMap t)
    {
        var rows = new List<TownshipTarget>();
        foreach (var r in t.MapList("rows"))
        {
            rows.Add(new TownshipTarget(r.OptInt("seq"), r.Str("name"), r.Int("count")));
            r.EnsureNoUnknownKeys();
        }

        var total = (long)t.Int("total");
        var sum = rows.Sum(r => r.Count);
        if (sum != total)
        {
            throw t.Error(t.Required("total"), $"target rows add up to {sum}, not the stated total {total}");
        }

        var table = new TargetTable(t.Str("title"), t.Str("unit"), rows, total, Cites(t));
        t.EnsureNoUnknownKeys();
        return table;
    }

    private CoverageTarget ReadCoverageTarget(YamlMap t)
    {
        var target = new CoverageTarget(t.Str("group"), t.StrList("members", required: false).Select(x => x.Value).ToList(), t.Decimal("percent"), t.OptDate("by"), Cites(t));
        t.EnsureNoUnknownKeys();
        return target;
    }

    private ReportingRhythm ReadReporting(YamlMap t)
    {
        var rhythm = new ReportingRhythm(t.OptDate("from"), t.OptDate("to"), t.Str("frequency"), Cites(t));
        t.EnsureNoUnknownKeys();
        return rhythm;
    }

    private PolicyFact ReadFact(YamlMap t)
    {
        var fact = new PolicyFact(t.Str("id"), t.Str("text"), Cites(t));
        t.EnsureNoUnknownKeys();
        return fact;
    }

    private PolicyDate ReadDate(YamlMap t)
    {
        var date = new PolicyDate(t.Str("id"), t.Date("date"), t.Str("description"), Cites(t));
        t.EnsureNoUnknownKeys();
        return date;
    }
}
