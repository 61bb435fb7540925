namespace WeChatAssist.Policy.Tests;

/// <summary>
/// Table-driven quotes: every file in <c>Cases/</c> names a policy and lists cases (facts, payment date, expectations).
/// Only the expectations a case states are asserted; <c>~</c> asserts null. Amounts are in yuan. The same runner
/// serves <c>policy test</c>, so a bureau's cases beside a new notice are checked exactly like these.
/// </summary>
public class QuoteCaseTests
{
    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var file in Directory.EnumerateFiles(CasesDir(), "*.yaml").Order(StringComparer.Ordinal))
        {
            var cases = PolicyCaseFile.LoadFile(file).Cases;
            for (var i = 0; i < cases.Count; i++)
            {
                data.Add(Path.GetFileName(file), i, cases[i].Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quote_matches_the_notice(string file, int index, string name)
    {
        var c = PolicyCaseFile.LoadFile(Path.Combine(CasesDir(), file)).Cases[index];
        Assert.Equal(name, c.Name);
        var failures = c.Run(Shipped.Get(c.PolicyId));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_wrong_expectation_is_reported_with_its_line_and_what_the_quote_said()
    {
        var file = PolicyCaseFile.Load(new StringReader("""
            policy: suiping-2025
            cases:
              - name: wrong on purpose
                paidOn: 2024-10-01
                expect: { outcome: Ok, due: 399 }
            """), "wrong.cases.yaml");
        var failures = file.Cases[0].Run(Shipped.Get(file.PolicyId));
        var failure = Assert.Single(failures);
        Assert.StartsWith("wrong.cases.yaml:5:", failure, StringComparison.Ordinal);
        Assert.Contains("due expected 399, was 400元", failure, StringComparison.Ordinal);
    }

    private static string CasesDir() => Path.Combine(AppContext.BaseDirectory, "Cases");
}
