using JiebaNet.Segmenter;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>Chinese word segmentation (jieba.NET 0.42.2) with a user dictionary generated from the loaded policies:
/// group names and aliases, residents' words, townships, payment channels and offices, so "低保边缘户" or "社保云缴费"
/// stays one word.</summary>
internal sealed class ChineseSegmenter
{
    /// <summary>Folder beside the binaries holding jieba's dictionary and HMM tables (copied from the package by the
    /// server project, see its csproj).</summary>
    public const string Folder = "jieba";

    // jieba keeps one process-wide dictionary: the base directory is set and the user words added under this lock.
    private static readonly Lock Gate = new();
    private readonly JiebaSegmenter _segmenter;

    private ChineseSegmenter(JiebaSegmenter segmenter) => _segmenter = segmenter;

    /// <summary>A segmenter whose user dictionary holds the words of <paramref name="policies"/> and <paramref name="residentWords"/>,
    /// each normalised as messages are (<paramref name="normalize"/>).</summary>
    public static ChineseSegmenter Create(string baseDirectory, IEnumerable<InsurancePolicy> policies, ResidentWords residentWords, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(residentWords);
        ArgumentNullException.ThrowIfNull(normalize);
        var folder = Path.Combine(baseDirectory, Folder);
        if (!File.Exists(Path.Combine(folder, "dict.txt")))
        {
            throw new FileNotFoundException($"jieba dictionary not found in {folder} (the server project copies it from the jieba.NET package).");
        }

        lock (Gate)
        {
            ConfigManager.ConfigFileBaseDir = folder;
            var segmenter = new JiebaSegmenter();
            foreach (var word in UserWords(policies, residentWords).Select(normalize).Where(w => w.Length >= 2).Distinct(StringComparer.Ordinal))
            {
                // A high frequency makes the DAG prefer the whole name over its parts.
                segmenter.AddWord(word, 100_000);
            }

            return new ChineseSegmenter(segmenter);
        }
    }

    /// <summary>The words of <paramref name="text"/> (precise mode, HMM for unknown words), punctuation dropped.</summary>
    public IReadOnlyList<string> Cut(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var words = new List<string>();
        foreach (var word in _segmenter.Cut(text, cutAll: false, hmm: true))
        {
            if (word.Length > 0 && !char.IsWhiteSpace(word[0]) && !char.IsPunctuation(word[0]))
            {
                words.Add(word);
            }
        }

        return words;
    }

    private static IEnumerable<string> UserWords(IEnumerable<InsurancePolicy> policies, ResidentWords residentWords)
    {
        foreach (var word in residentWords.Words.Keys)
        {
            yield return word;
        }

        foreach (var policy in policies)
        {
            foreach (var category in policy.Categories)
            {
                yield return StripParenthesised(category.Name);
                foreach (var alias in category.Aliases)
                {
                    yield return StripParenthesised(alias);
                }
            }

            foreach (var row in policy.Targets.SelectMany(t => t.Rows))
            {
                yield return row.Name;
            }

            foreach (var channel in policy.PaymentChannels)
            {
                yield return channel.Name;
            }

            foreach (var contact in policy.Contacts)
            {
                yield return StripParenthesised(contact.Name);
            }
        }
    }

    private static string StripParenthesised(string name)
    {
        var open = name.IndexOfAny(['（', '(']);
        return open > 0 ? name[..open] : name;
    }
}
