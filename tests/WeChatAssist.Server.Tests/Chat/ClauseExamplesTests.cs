using System.Text.RegularExpressions;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Evaluation;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>Residents' questions filed under the clause that answers them (localization/chat/clause-examples.tsv,
/// generated from the resident set's tuning questions): they name clauses of their own policy, hold no question the
/// chatbot is measured on unseen, and lead the clause index to a clause whose own words the message does not share.</summary>
public sealed partial class ClauseExamplesTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"clause-examples-{Guid.NewGuid():N}.tsv");

    public void Dispose() => File.Delete(_file);

    private static string Shipped() => Path.Combine(AppContext.BaseDirectory, ChatVocabulary.Folder, ClauseExamples.FileName);

    [Fact]
    public void Every_shipped_example_names_a_clause_of_its_policy()
    {
        var examples = ClauseExamples.Load(Shipped());
        var count = 0;
        foreach (var policy in ChatTestEngine.Catalog.All)
        {
            foreach (var (numbering, text) in examples.For(policy.Id))
            {
                Assert.True(policy.Clauses.Any(c => c.Numbering == numbering), $"{policy.Id}: '{text}' names {numbering}, which the policy does not have");
                count++;
            }
        }

        Assert.True(count >= 150, $"{count} examples");
    }

    [Theory]
    [InlineData("test")]
    [InlineData("val2")]
    public void No_shipped_example_is_a_question_of_a_split_kept_unseen(string split)
    {
        var shipped = ClauseExamples.Load(Shipped());
        var examples = ChatTestEngine.Catalog.All.SelectMany(p => shipped.For(p.Id)).Select(e => Spaces().Replace(e.Text, "")).ToHashSet(StringComparer.Ordinal);
        var folder = ResidentEvaluation.FindFolder() ?? throw new InvalidOperationException("resident set not found");
        // val2's even ids are its unseen half (its odd ids may be used for tuning).
        var unseen = ResidentEvaluation.Load(folder, split).Where(q => split == "test" || int.Parse(q.Id[^1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0);
        // As check.py --leaks: no example holds the words (6 characters or more) of a question kept unseen.
        Assert.All(unseen, q =>
        {
            var words = Spaces().Replace(q.Text, "");
            Assert.DoesNotContain(examples, e => e == words || words.Length >= 6 && e.Contains(words, StringComparison.Ordinal));
        });
    }

    [Fact]
    public void An_example_leads_to_its_clause_when_the_message_shares_no_word_with_the_notice_sentence()
    {
        var understanding = StandaloneChat.Create().Understanding;
        var policy = ChatTestEngine.Catalog.Get("pengshui-2024");
        const string Message = "老辈子喊隔壁幺妹代劳 要得不";
        File.WriteAllText(_file, "policy\tclause\ttext\npengshui-2024\t六、（六）\t隔壁幺妹喊我去她那边代劳\n");

        var without = new ClauseIndex(understanding.Clauses.Segmenter, understanding.Normalizer, understanding.ClauseWords, ClauseExamples.Empty).Find(Message, policy);
        var with = new ClauseIndex(understanding.Clauses.Segmenter, understanding.Normalizer, understanding.ClauseWords, ClauseExamples.Load(_file)).Find(Message, policy);

        Assert.NotEqual("六、（六）", without?.Clause.Numbering);
        Assert.Equal("六、（六）", with?.Clause.Numbering);
    }

    [Fact]
    public void A_clause_found_only_through_an_example_is_answered_by_its_sentence_closest_to_that_example()
    {
        var understanding = StandaloneChat.Create().Understanding;
        var policy = ChatTestEngine.Catalog.Get("pengshui-2024");
        File.WriteAllText(_file, "policy\tclause\ttext\npengshui-2024\t六、（六）\t幺妹收了钱要开收据不\n");

        var hit = new ClauseIndex(understanding.Clauses.Segmenter, understanding.Normalizer, understanding.ClauseWords, ClauseExamples.Load(_file)).Find("幺妹收了钱 要得不", policy);

        Assert.Equal("六、（六）", hit?.Clause.Numbering);
        Assert.Contains("专项收据", hit!.Sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("严肃工作纪律。一是严禁随意转移参保关系。", "一是严禁随意转移参保关系。2024年度居民参保属地关系原则上以户籍所在地为主。", "严肃工作纪律。一是严禁随意转移参保关系。2024年度居民参保属地关系原则上以户籍所在地为主。")]
    [InlineData("考核指标有两项。", "两项均完成的为A档。", "考核指标有两项。两项均完成的为A档。")]
    public void Two_units_joined_say_a_sentence_they_share_once(string first, string then, string joined) =>
        Assert.Equal(joined, ClauseIndex.Join(first, then));

    [Fact]
    public void A_malformed_line_is_refused_with_its_line_number()
    {
        File.WriteAllText(_file, "policy\tclause\ttext\npengshui-2024\t六、（六）\n");
        var error = Assert.Throws<InvalidDataException>(() => ClauseExamples.Load(_file));
        Assert.Contains(":2:", error.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
