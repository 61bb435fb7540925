namespace WeChatAssist.Policy.Tests.Authoring;

/// <summary>
/// A small valid policy and one broken copy for each fault class the issue names, with where the fault must be
/// reported (line and column in the broken text). The check tests and the schema tests share them.
/// </summary>
public static class FaultSamples
{
    public const string Valid = """
        formatVersion: 1
        id: sample-2024
        name: 样例县
        issuer: 样例县人民政府办公室
        documentNumber: 样政发〔2023〕1号
        title: 样例通知
        benefitYear: 2024
        clauses:
          - { id: c1, numbering: 一, text: 缴费标准380元。 }
          - { id: c2, numbering: 二, text: 缴费时间。 }
          - { id: c3, numbering: 三, text: 资助。 }
        fiscalSubsidy: { yuan: 640, cites: [c1] }
        tiers:
          - { tier: 1, yuan: 380, cites: [c1] }
        collection:
          window: { from: 2023-09-01, to: 2023-12-31, cites: [c2] }
          benefit: { from: 2024-01-01, to: 2024-12-31, cites: [c2] }
        late:
          regimes:
            - id: late
              from: 2024-01-01
              to: 2024-06-30
              benefitStart: afterWaiting
              waiting: { days: 90, countFromNextDay: true }
              cites: [c2]
        categoryListCites: [c3]
        categories:
          - code: dibao
            name: 低保对象
            status: stated
            funder: 医疗救助资金
            funderCites: [c3]
            mode: direct
            modeCites: [c3]
            tiers:
              - { tier: 1, yuan: 304, individualYuan: 76 }
            cites: [c3]
        contacts:
          - { name: 县医保局, role: 咨询, cites: [c1] }
        """;

    /// <summary>Name, broken text, line, column, words the reason contains, whether the JSON Schema can see it.</summary>
    public static TheoryData<string> Names() => new(All.Select(f => f.Name));

    public static IReadOnlyList<FaultSample> All { get; } =
    [
        new("malformed YAML", Valid.Replace("name: 样例县", "name: \"样例县", StringComparison.Ordinal), 3, 7, "not valid YAML", ByStructure: true),
        new("unknown key", Valid.Replace("benefitYear: 2024", "benefitYear: 2024\nbenefitYaer: 2024", StringComparison.Ordinal), 8, 1, "unknown key 'benefitYaer'", ByStructure: true),
        new("overlapping windows", Valid.Replace("from: 2024-01-01\n      to: 2024-06-30", "from: 2023-12-31\n      to: 2024-06-30", StringComparison.Ordinal), 20, 7, "overlaps collection window", ByStructure: false),
        new("group without a subsidy rule", Valid.Replace("    status: stated\n", string.Empty, StringComparison.Ordinal)
            .Replace("    tiers:\n      - { tier: 1, yuan: 304, individualYuan: 76 }\n", string.Empty, StringComparison.Ordinal), 28, 5, "category 'dibao' has no subsidy rule", ByStructure: true),
        new("date contradicting the benefit year", Valid.Replace("benefit: { from: 2024-01-01, to: 2024-12-31", "benefit: { from: 2024-01-01, to: 2025-03-31", StringComparison.Ordinal), 17, 36, "benefit period ends in 2025, not in benefit year 2024", ByStructure: false),
        new("citation to a clause that does not exist", Valid.Replace("fiscalSubsidy: { yuan: 640, cites: [c1] }", "fiscalSubsidy: { yuan: 640, cites: [c9] }", StringComparison.Ordinal), 12, 37, "dangling clause id 'c9'", ByStructure: false),
    ];

    public static FaultSample Get(string name) => All.Single(f => f.Name == name);
}

/// <summary>One broken policy and where its fault must be reported.</summary>
public sealed record FaultSample(string Name, string Yaml, int Line, int Column, string Reason, bool ByStructure);
