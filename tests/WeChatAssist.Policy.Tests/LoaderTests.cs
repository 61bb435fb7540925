namespace WeChatAssist.Policy.Tests;

/// <summary>The loader rejects each kind of bad file with the file name, the offending line and the reason.</summary>
public class LoaderTests
{
    // A small valid policy; each test breaks one thing. Line numbers below refer to this text.
    private const string Valid = """
        formatVersion: 1
        id: test-2024
        name: 测试县
        issuer: 测试县人民政府办公室
        documentNumber: 测政发〔2023〕1号
        title: 测试通知
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
            name: 低保对象（含城乡）
            status: stated
            funder: 医疗救助资金
            funderCites: [c3]
            mode: direct
            modeCites: [c3]
            tiers:
              - { tier: 1, yuan: 304, individualYuan: 76 }
            cites: [c3]
          - code: tekun
            name: 特困人员
            status: stated
            funder: 医疗救助资金
            funderCites: [c3]
            mode: direct
            modeCites: [c3]
            tiers:
              - { tier: 1, yuan: 380, individualYuan: 0 }
            cites: [c3]
        contacts:
          - { name: 县医保局, role: 咨询, cites: [c1] }
        targets:
          - title: 任务表
            unit: 人
            cites: [c1]
            total: 30
            rows:
              - { seq: 1, name: 甲镇, count: 10 }
              - { seq: 2, name: 乙镇, count: 20 }
        """;

    [Fact]
    public void The_valid_sample_loads()
    {
        var p = PolicyLoader.Load(new StringReader(Valid), "test.yaml");
        Assert.Equal("test-2024", p.Id);
        Assert.Equal(76_00, p.Quote(new ResidentFacts { Categories = ["dibao"] }, new DateOnly(2023, 10, 1)).IndividualDueFen);
    }

    [Fact]
    public void A_dangling_clause_id_is_rejected_with_its_line()
        => AssertRejected(Valid.Replace("funderCites: [c3]\n    mode: direct\n    modeCites: [c3]\n    tiers:\n      - { tier: 1, yuan: 304", "funderCites: [c9]\n    mode: direct\n    modeCites: [c3]\n    tiers:\n      - { tier: 1, yuan: 304", StringComparison.Ordinal), 32, "dangling clause id 'c9'");

    [Fact]
    public void A_window_overlapping_a_late_regime_is_rejected()
        => AssertRejected(Valid.Replace("from: 2024-01-01\n      to: 2024-06-30", "from: 2023-12-31\n      to: 2024-06-30", StringComparison.Ordinal), 20, "overlaps collection window");

    [Fact]
    public void Two_overlapping_late_regimes_are_rejected()
        => AssertRejected(Valid.Replace("      cites: [c2]\ncategoryListCites", "      cites: [c2]\n    - { id: late2, from: 2024-06-30, to: 2024-09-30, benefitStart: nextMonthFirst, cites: [c2] }\ncategoryListCites", StringComparison.Ordinal), 26, "overlaps late regime 'late'");

    [Fact]
    public void An_amount_not_in_whole_fen_is_rejected()
        => AssertRejected(Valid.Replace("{ tier: 1, yuan: 380, cites: [c1] }", "{ tier: 1, yuan: 380.005, cites: [c1] }", StringComparison.Ordinal), 14, "not in whole fen");

    [Fact]
    public void Target_rows_that_do_not_add_up_are_rejected()
        => AssertRejected(Valid.Replace("total: 30", "total: 31", StringComparison.Ordinal), 54, "add up to 30, not the stated total 31");

    [Fact]
    public void A_category_matched_twice_without_precedence_is_rejected()
        => AssertRejected(Valid.Replace("name: 特困人员", "name: 特困人员\n    aliases: [低保对象]", StringComparison.Ordinal), 28, "matched by both 'dibao' and 'tekun' without declared precedence");

    [Fact]
    public void A_category_matched_twice_with_declared_precedence_loads_and_the_first_wins()
    {
        var text = Valid.Replace("name: 特困人员", "name: 特困人员\n    aliases: [低保对象]", StringComparison.Ordinal)
            .Replace("contacts:", "precedence: [tekun, dibao]\ncontacts:", StringComparison.Ordinal);
        var p = PolicyLoader.Load(new StringReader(text), "test.yaml");
        Assert.Equal("tekun", p.FindCategory("低保对象")?.Code);
        Assert.Equal("dibao", p.FindCategory("低保对象（含城乡）")?.Code);
    }

    [Fact]
    public void A_duration_without_its_counting_rule_is_rejected()
        => AssertRejected(Valid.Replace("waiting: { days: 90, countFromNextDay: true }", "waiting: { days: 90 }", StringComparison.Ordinal), 24, "duration without its counting rule");

    [Fact]
    public void Subsidy_and_individual_share_must_add_up_to_the_tier()
        => AssertRejected(Valid.Replace("yuan: 304, individualYuan: 76", "yuan: 304, individualYuan: 75", StringComparison.Ordinal), 36, "does not equal the tier's 380");

    [Fact]
    public void A_percent_subsidy_must_match_the_stated_individual_share()
        => AssertRejected(Valid.Replace("yuan: 304, individualYuan: 76", "percent: 90, individualYuan: 76", StringComparison.Ordinal), 36, "does not equal");

    [Fact]
    public void A_tier_a_category_names_must_exist()
        => AssertRejected(Valid.Replace("{ tier: 1, yuan: 304, individualYuan: 76 }", "{ tier: 2, yuan: 304, individualYuan: 76 }", StringComparison.Ordinal), 36, "tier 2, which the policy does not have");

    [Fact]
    public void An_unknown_key_is_rejected()
        => AssertRejected(Valid.Replace("benefitYear: 2024", "benefitYear: 2024\nbenefitYaer: 2024", StringComparison.Ordinal), 8, "unknown key 'benefitYaer'");

    [Fact]
    public void A_missing_required_key_is_rejected()
        => AssertRejected(Valid.Replace("title: 测试通知\n", string.Empty, StringComparison.Ordinal), 1, "missing required key 'title'");

    [Fact]
    public void A_duplicate_clause_id_is_rejected()
        => AssertRejected(Valid.Replace("{ id: c2, numbering: 二", "{ id: c1, numbering: 二", StringComparison.Ordinal), 10, "duplicate clause id 'c1'");

    [Fact]
    public void A_window_ending_before_it_starts_is_rejected()
        => AssertRejected(Valid.Replace("from: 2023-09-01, to: 2023-12-31", "from: 2023-12-31, to: 2023-09-01", StringComparison.Ordinal), 16, "is before 'from'");

    [Fact]
    public void A_bad_date_is_rejected()
        => AssertRejected(Valid.Replace("from: 2023-09-01", "from: 2023-09-31", StringComparison.Ordinal), 16, "must be a date");

    [Fact]
    public void Late_rules_must_be_listed_or_declared_not_stated()
        => AssertRejected(Valid.Replace("late:\n  regimes:", "late:\n  unused:", StringComparison.Ordinal), 19, "'late' must list 'regimes' or say 'notStated'");

    [Fact]
    public void Invalid_yaml_is_rejected_with_its_line()
        => AssertRejected(Valid.Replace("name: 测试县", "name: \"测试县", StringComparison.Ordinal), 0, "not valid YAML");

    [Fact]
    public void A_stated_category_needs_a_funder_or_an_explicit_not_stated()
        => AssertRejected(Valid.Replace("    funder: 医疗救助资金\n    funderCites: [c3]\n    mode: direct\n    modeCites: [c3]\n    tiers:\n      - { tier: 1, yuan: 304", "    funderCites: [c3]\n    mode: direct\n    modeCites: [c3]\n    tiers:\n      - { tier: 1, yuan: 304", StringComparison.Ordinal), 28, "needs a 'funder' or 'funderNotStated: true'");

    private static void AssertRejected(string yaml, int line, string reason)
    {
        var ex = Assert.Throws<PolicyLoadException>(() => PolicyLoader.Load(new StringReader(yaml), "bad.yaml"));
        Assert.Equal("bad.yaml", ex.FileName);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        if (line > 0)
        {
            Assert.Equal(line, ex.Line);
        }
        else
        {
            Assert.True(ex.Line >= 0);
        }

        Assert.StartsWith(ex.Column > 0 ? $"bad.yaml:{ex.Line}:{ex.Column}: " : $"bad.yaml:{ex.Line}: ", ex.Message, StringComparison.Ordinal);
    }
}
