using BenchmarkDotNet.Attributes;
using WeChatAssist.Policy;
using WeChatAssist.Server.Chat;

namespace WeChatAssist.Server.Benchmarks;

/// <summary>Understanding + answer of typical resident questions, each as a first message (state read and written).</summary>
[MemoryDiagnoser]
public class ChatBenchmarks
{
    private static readonly string[] Questions =
    [
        "医保交多少钱", "我是低保户", "什么时候截止", "新农合在哪里交", "明年一月补交什么时候能用",
        "转人工", "五保户交多少钱？", "大学生交多少", "你好", "今天天气怎么样",
    ];

    private ChatEngine _engine = null!;
    private InsurancePolicy _policy = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _engine = StandaloneChat.Create();
        _policy = PolicyCatalog.LoadShipped().Get("wenxi-2024");
    }

    /// <summary>One message through the whole engine (typical mix, rotating followers).</summary>
    [Benchmark(OperationsPerInvoke = 10)]
    public async Task<int> Answer_ten_typical_questions()
    {
        var length = 0;
        foreach (var question in Questions)
        {
            var user = "o" + (_next++ % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var answer = await _engine.AnswerAsync(new ChatRequest("bench", user, _policy, ChatLanguage.SimplifiedChinese, question, new DateOnly(2023, 11, 15)), CancellationToken.None);
            length += answer.Text.Length;
        }

        return length;
    }

    /// <summary>The understanding layer alone on the same mix.</summary>
    [Benchmark(OperationsPerInvoke = 10)]
    public int Understand_ten_typical_questions()
    {
        var score = 0;
        foreach (var question in Questions)
        {
            score += (int)_engine.Understanding.Understand(question, _policy, new DateOnly(2023, 11, 15)).Prediction.Intent;
        }

        return score;
    }
}
