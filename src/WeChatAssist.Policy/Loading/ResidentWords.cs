using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeChatAssist.Policy;

/// <summary>
/// Residents' everyday words (五保户, 低保户, 建档立卡户…) mapped to the notices' category names.
/// The map lives in the repository's <c>localization/</c> folder; each word lists candidate names,
/// tried in order against a policy, so a word resolves only to a category the county actually has.
/// </summary>
public sealed class ResidentWords
{
    private readonly Dictionary<string, IReadOnlyList<string>> _words;

    private ResidentWords(Dictionary<string, IReadOnlyList<string>> words) => _words = words;

    /// <summary>Every everyday word and its candidate category names.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Words => _words;

    // The word map's one key; the words under it are free text, read without a vocabulary of their own.
    private static readonly Vocabulary Vocabulary = new("residentWords", "Residents' everyday words for categories.",
        new Term("words", TermKind.Map, true, "Word → category names.", new Vocabulary("words", "Free words.")));

    /// <summary>Loads the map from YAML (<c>words: { 五保户: [特困人员, …] }</c>).</summary>
    public static ResidentWords Load(TextReader yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(yaml);
        }
        catch (YamlException ex)
        {
            throw new PolicyLoadException(fileName, (int)ex.Start.Line, "not valid YAML: " + ex.Message, ex);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new PolicyLoadException(fileName, 1, "the word map must be one mapping");
        }

        var map = new YamlMap(fileName, root, Vocabulary);
        var wordsNode = map.Map("words");
        map.EnsureNoUnknownKeys();
        var words = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in ((YamlMappingNode)root.Children[new YamlScalarNode("words")]).Children)
        {
            var word = wordsNode.Scalar(key, "words");
            if (value is not YamlSequenceNode seq || seq.Children.Count == 0)
            {
                throw wordsNode.Error(value, $"word '{word}' must list at least one category name");
            }

            var normalized = CategoryNameKey.Normalize(word);
            if (words.ContainsKey(normalized))
            {
                throw wordsNode.Error(key, $"word '{word}' is listed twice");
            }

            words[normalized] = seq.Children.Select(c => wordsNode.Scalar(c, word)).ToList();
        }

        return new ResidentWords(words);
    }

    /// <summary>Loads the map from a file path.</summary>
    public static ResidentWords LoadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader, path);
    }

    /// <summary>
    /// Resolves what a resident typed to a category of <paramref name="policy"/>: first the notice's own
    /// code, name or alias, then the everyday word's candidates in order. Null when the county has no such category.
    /// </summary>
    public SubsidyCategory? Resolve(InsurancePolicy policy, string text)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(text);
        if (policy.FindCategory(text) is { } direct)
        {
            return direct;
        }

        if (_words.TryGetValue(CategoryNameKey.Normalize(text), out var candidates))
        {
            foreach (var name in candidates)
            {
                if (policy.FindCategory(name) is { } category)
                {
                    return category;
                }
            }
        }

        return null;
    }
}
