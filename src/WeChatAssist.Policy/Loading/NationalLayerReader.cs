namespace WeChatAssist.Policy;

/// <summary>Reads and validates one national layer file (<c>Policies/national/*.yaml</c>).</summary>
internal sealed class NationalLayerReader
{
    private readonly string _file;
    private readonly Dictionary<string, PolicyClause> _clauses = new(StringComparer.Ordinal);
    private string _id = string.Empty;
    private string _documentNumber = string.Empty;

    private NationalLayerReader(string file) => _file = file;

    public static NationalLayer Read(TextReader text, string file)
    {
        return new NationalLayerReader(file).ReadRoot(YamlMap.LoadRoot(text, file, NationalVocabulary.Root, "a national layer file"));
    }

    private NationalLayer ReadRoot(YamlMap root)
    {
        var version = root.Int("formatVersion");
        if (version != PolicyAssembly.FormatVersion)
        {
            throw root.Error(root.Required("formatVersion"), $"format version {version} is not supported (expected {PolicyAssembly.FormatVersion})");
        }

        _id = root.Str("id");
        _documentNumber = root.Str("documentNumber");
        if (_documentNumber.Length == 0)
        {
            throw root.Error(root.Required("documentNumber"), "a national layer is cited by its document number; it may not be empty");
        }

        foreach (var c in root.MapList("clauses"))
        {
            var id = c.Str("id");
            if (_clauses.ContainsKey(id))
            {
                throw c.Error($"duplicate clause id '{id}'");
            }

            _clauses[id] = new PolicyClause(_id, id, c.Str("numbering"), c.Str("text").Trim(), c.OptStr("documentNumber") ?? _documentNumber);
            c.EnsureNoUnknownKeys();
        }

        var sources = root.MapList("sources").Select(s =>
        {
            var source = new NationalSource(s.Str("url"), s.Str("gives"));
            s.EnsureNoUnknownKeys();
            return source;
        }).ToList();
        if (sources.Count == 0)
        {
            throw root.Error(root.Required("sources"), "a national layer must name where its text was read");
        }

        var layer = new NationalLayer
        {
            Id = _id,
            Issuer = root.Str("issuer"),
            DocumentNumber = _documentNumber,
            Title = root.Str("title"),
            FromBenefitYear = root.Int("fromBenefitYear"),
            Sources = sources,
            Clauses = _clauses.Values.ToList(),
            WaitingPeriod = root.OptMap("waitingPeriod") is { } w ? ReadWaiting(w) : null,
            Incentives = root.OptMap("incentives") is { } i ? ReadIncentives(i) : null,
            SourceFile = _file,
        };
        root.EnsureNoUnknownKeys();
        return layer;
    }

    private NationalWaitingPeriod ReadWaiting(YamlMap w)
    {
        var floor = w.Map("floor");
        var waiting = new NationalWaitingPeriod
        {
            Exceptions = w.Str("exceptions"),
            FixedMonths = Positive(w, "fixedMonths"),
            MonthsPerYearOfBreak = w.Int("monthsPerYearOfBreak"),
            RepairMonthsPerYearPaid = w.Int("repairMonthsPerYearPaid"),
            FloorFromBreakYears = Positive(floor, "fromBreakYears"),
            FloorMonths = Positive(floor, "months"),
            Cites = Cites(w, "cites"),
            LocalStandardCites = Cites(w, "localStandardCites"),
        };
        if (waiting.FloorMonths < waiting.FixedMonths)
        {
            throw floor.Error(floor.Required("months"), $"the floor ({waiting.FloorMonths} months) is below the fixed waiting period ({waiting.FixedMonths} months)");
        }

        floor.EnsureNoUnknownKeys();
        w.EnsureNoUnknownKeys();
        return waiting;
    }

    private NationalIncentives ReadIncentives(YamlMap i)
    {
        var incentives = new NationalIncentives
        {
            ContinuousAfterYears = Positive(i, "continuousAfterYears"),
            MinimumRaiseFen = i.Fen("minimumRaiseYuan"),
            CapPercentOfOriginal = i.Decimal("capPercentOfOriginal"),
            Cites = Cites(i, "cites"),
        };
        i.EnsureNoUnknownKeys();
        return incentives;
    }

    private static int Positive(YamlMap map, string key)
    {
        var value = map.Int(key);
        return value > 0 ? value : throw map.Error(map.Required(key), $"'{key}' must be at least 1");
    }

    private List<PolicyClause> Cites(YamlMap map, string key)
    {
        var ids = map.StrList(key);
        if (ids.Count == 0)
        {
            throw map.Error($"'{key}' must cite at least one clause");
        }

        var list = new List<PolicyClause>(ids.Count);
        foreach (var (id, node) in ids)
        {
            list.Add(_clauses.TryGetValue(id, out var clause) ? clause : throw map.Error(node, $"dangling clause id '{id}' in '{key}'"));
        }

        return list;
    }
}
