using WeChatAssist.Server.Policies;

namespace WeChatAssist.Server.Tests.Policies;

/// <summary>The <c>policy</c> verbs as a bureau member runs them: exit codes and what they print.</summary>
public sealed class PolicyCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("policy-verbs-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Check_prints_each_fault_as_file_line_column_and_exits_1()
    {
        var good = Write("good.yaml", Shipped("suiping-2025"));
        var bad = Write("bad.yaml", Shipped("suiping-2025").Replace("  yuan: 670\n  cites: [s1]", "  yuan: 670\n  cites: [s9]", StringComparison.Ordinal));
        var (code, text) = Run("policy", "check", good, bad);
        Assert.Equal(1, code);
        Assert.Contains($"{good}: ok (suiping-2025", text, StringComparison.Ordinal);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(bad)}:\d+:\d+: dangling clause id 's9' in 'cites'", text);
    }

    [Fact]
    public void Check_checks_the_national_layer_and_says_which_county_files_inherit_it()
    {
        var national = Path.Combine(RepoFiles.Root(), "src", "WeChatAssist.Policy", "Policies", "national", "gbf-2024-38.yaml");
        var (code, text) = Run("policy", "check", national, Write("suiping.yaml", Shipped("suiping-2025")), Write("wenxi.yaml", Shipped("wenxi-2024")));
        Assert.Equal(0, code);
        Assert.Contains($"{national}: ok (national layer gbf-2024-38, 国办发〔2024〕38号, from benefit year 2025", text, StringComparison.Ordinal);
        Assert.Contains("inherits 国办发〔2024〕38号)", text, StringComparison.Ordinal);
        // Benefit year 2024 is before the layer: nothing inherited.
        Assert.DoesNotContain("inherits", text.Split('\n').Single(l => l.Contains("(wenxi-2024, benefit year 2024, ", StringComparison.Ordinal)), StringComparison.Ordinal);

        var broken = Write("gbf.yaml", File.ReadAllText(national).Replace("fixedMonths: 3", "fixedMonths: x", StringComparison.Ordinal));
        var (failed, faults) = Run("policy", "check", broken);
        Assert.Equal(1, failed);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(broken)}:\d+:\d+: .*fixedMonths", faults);
    }

    [Fact]
    public void Schema_national_prints_the_national_layer_schema()
    {
        var (code, text) = Run("policy", "schema", "--national");
        Assert.Equal(0, code);
        Assert.Equal(WeChatAssist.Policy.PolicySchema.GenerateNational(), text);
    }

    [Fact]
    public void Check_of_good_files_exits_0()
        => Assert.Equal(0, Run("policy", "check", Write("a.yaml", Shipped("wenxi-2024")), Write("b.yaml", Shipped("pengshui-2024"))).Code);

    [Fact]
    public void Diff_against_a_shipped_id_prints_the_changed_amounts()
    {
        var draft = Write("pengshui-2025.yaml", File.ReadAllText(DraftPath()));
        var (code, text) = Run("policy", "diff", "pengshui-2024", draft);
        Assert.Equal(0, code);
        Assert.Contains("pengshui-2024 → pengshui-2025: 17 change(s)", text, StringComparison.Ordinal);
        Assert.Matches(@"groups\s+城乡最低生活保障人员 \(dibao\) tier 1 individual\s+38元\s+19元", text);
        Assert.Matches(@"national\s+国办发〔2024〕38号\s+—\s+applies from benefit year 2025", text);
    }

    [Fact]
    public void Diff_into_a_year_the_national_layer_covers_prints_its_waiting_period()
    {
        var (code, text) = Run("policy", "diff", "pengshui-2024", "suiping-2025");
        Assert.Equal(0, code);
        Assert.Matches(@"national\s+国办发〔2024〕38号 waiting period\s+—\s+join outside the collection period or after a break: fixed 3 months", text);
    }

    [Fact]
    public void Preview_on_a_date_prints_quotes_and_the_calendar()
    {
        var (code, text) = Run("policy", "preview", "suiping-2025", "--on", "2024-10-01");
        Assert.Equal(0, code);
        Assert.Contains("suiping-2025 on 2024-10-01: payable", text, StringComparison.Ordinal);
        Assert.Matches(@"低保对象 \(dibao\)\s+1\s+Ok\s+310元\s+90元", text);
        Assert.Contains("2024-09-20  collection window opens", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_runs_the_cases_beside_the_policy()
    {
        var draft = Write("pengshui-2025.yaml", File.ReadAllText(DraftPath()));
        Write("pengshui-2025.cases.yaml", File.ReadAllText(Path.ChangeExtension(DraftPath(), null) + ".cases.yaml"));
        var (code, text) = Run("policy", "test", draft);
        Assert.Equal(0, code);
        Assert.Contains("4 passed, 0 failed", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_reports_a_failing_case_with_its_line_and_exits_1()
    {
        var draft = Write("pengshui-2025.yaml", File.ReadAllText(DraftPath()));
        Write("pengshui-2025.cases.yaml", "policy: pengshui-2025\ncases:\n  - name: wrong\n    paidOn: 2024-11-01\n    tier: 1\n    expect: { due: 400 }\n");
        var (code, text) = Run("policy", "test", draft);
        Assert.Equal(1, code);
        Assert.Contains("pengshui-2025.cases.yaml:6:15: wrong: due expected 400, was 380元", text, StringComparison.Ordinal);
        Assert.Contains("0 passed, 1 failed", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_command_line_prints_the_usage_and_exits_2()
    {
        var (code, text) = Run("policy", "diff", "only-one");
        Assert.Equal(2, code);
        Assert.Contains("usage: policy check FILE", text, StringComparison.Ordinal);
    }

    private static (int Code, string Text) Run(params string[] args)
    {
        using var output = new StringWriter();
        var code = PolicyCommand.Run(args, output, TimeProvider.System);
        return (code, output.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Shipped(string id) =>
        File.ReadAllText(Path.Combine(RepoFiles.Root(), "src", "WeChatAssist.Policy", "Policies", id + ".yaml"));

    private static string DraftPath() =>
        Path.Combine(RepoFiles.Root(), "tests", "WeChatAssist.Policy.Tests", "Authoring", "pengshui-2025-draft.yaml");
}
