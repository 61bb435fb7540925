using System.Reflection;
using System.Text.Json;
using WeChatAssist.Server.Localization;

namespace WeChatAssist.Server.Tests.Localization;

/// <summary>One problem-text component serves every feature, keyed by the name of the feature's file in
/// <c>localization/</c>: each key loads, renders its placeholders and answers problem+json with its key as the code.</summary>
public sealed class ProblemTextsTests
{
    public static TheoryData<string> FeatureKeys() => [.. Keys()];

    [Theory]
    [MemberData(nameof(FeatureKeys))]
    public void Every_feature_key_names_a_file_whose_every_problem_has_a_chinese_title_and_a_chinese_or_filled_in_detail(string key)
    {
        var path = Path.Combine(AppContext.BaseDirectory, ProblemTexts.FileFor(key));
        var texts = ProblemTexts.LoadFile(path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var problems = document.RootElement.GetProperty("problems").EnumerateObject().Select(p => p.Name).ToList();

        Assert.NotEmpty(problems);
        foreach (var name in problems)
        {
            var (title, detail) = texts.Render(name);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", title);

            // A few details are only a placeholder (the reason the engine gives, a link) and get their words when filled in.
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}|\{\w+\}", detail);
        }
    }

    [Fact]
    public void There_is_a_key_for_each_of_the_seven_features_that_answer_problems() =>
        Assert.Equal(
            ["corrections", "imports", "links", "miniprogram", "policy-api", "policy-drafts", "reminders"],
            Keys().Order(StringComparer.Ordinal));

    [Fact]
    public void A_problem_answer_has_the_title_the_filled_detail_and_the_key_as_its_code()
    {
        var texts = Load(ProblemTextKeys.Imports);

        var problem = texts.Problem(404, "importNotFound", ("id", 42));

        Assert.Equal(404, problem.StatusCode);
        Assert.Equal(texts.Title("importNotFound"), problem.ProblemDetails.Title);
        Assert.Contains("42", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("{id}", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Equal("importNotFound", problem.ProblemDetails.Extensions["code"]);
        Assert.Equal(problem.ProblemDetails.Detail, texts.Detail("importNotFound", ("id", 42)));
    }

    [Fact]
    public void Placeholders_are_filled_with_invariant_culture_values()
    {
        var texts = Load(ProblemTextKeys.Policies);

        var (_, detail) = texts.Render("policyNotFound", ("policyId", "wenxi-2024"));

        Assert.Contains("wenxi-2024", detail, StringComparison.Ordinal);
        Assert.Equal(detail, texts.Render("policyNotFound", new Dictionary<string, string> { ["policyId"] = "wenxi-2024" }).Detail);
    }

    [Fact]
    public void A_word_comes_from_the_facts_and_an_unknown_word_answers_its_key()
    {
        var texts = Load(ProblemTextKeys.Corrections);

        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", texts.Word("field.name"));
        Assert.Equal("no.such.word", texts.Word("no.such.word"));
        Assert.Equal("anything", Load(ProblemTextKeys.Imports).Word("anything"));
    }

    [Fact]
    public void An_unknown_problem_key_is_a_programming_error_naming_the_file()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => Load(ProblemTextKeys.Links).Problem(400, "noSuchProblem"));

        Assert.Contains("links.zh-Hans.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("noSuchProblem", ex.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Keys() =>
        typeof(ProblemTextKeys).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    private static ProblemTexts Load(string key) => ProblemTexts.LoadFile(Path.Combine(AppContext.BaseDirectory, ProblemTexts.FileFor(key)));
}
