using System.Collections.Frozen;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>The chatbot's language data from <c>localization/chat/</c>: fillers, synonyms, character pairs and intent rules.</summary>
internal sealed class ChatVocabulary
{
    /// <summary>Folder of the files, relative to the binaries.</summary>
    public const string Folder = "localization/chat";

    private ChatVocabulary(
        IReadOnlyList<string> fillers,
        IReadOnlyList<KeyValuePair<string, string>> synonyms,
        FrozenDictionary<char, char> toSimplified,
        FrozenDictionary<char, char> toTraditional,
        IReadOnlyList<IntentRule> rules,
        IReadOnlyList<KeyValuePair<string, ChatLanguage>> languageWords)
    {
        Fillers = fillers;
        Synonyms = synonyms;
        ToSimplified = toSimplified;
        ToTraditional = toTraditional;
        Rules = rules;
        LanguageWords = languageWords;
    }

    /// <summary>Filler words, longest first.</summary>
    public IReadOnlyList<string> Fillers { get; }

    /// <summary>Variant → canonical word, longest variant first.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Synonyms { get; }

    /// <summary>Traditional → Simplified characters.</summary>
    public FrozenDictionary<char, char> ToSimplified { get; }

    /// <summary>Simplified → Traditional characters (first pair wins).</summary>
    public FrozenDictionary<char, char> ToTraditional { get; }

    /// <summary>Keyword rules per intent.</summary>
    public IReadOnlyList<IntentRule> Rules { get; }

    /// <summary>Words that switch the answer language, longest first.</summary>
    public IReadOnlyList<KeyValuePair<string, ChatLanguage>> LanguageWords { get; }

    /// <summary>Loads the three files from <paramref name="folder"/>.</summary>
    public static ChatVocabulary Load(string folder)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        var vocabulary = Read<VocabularyFile>(deserializer, Path.Combine(folder, "vocabulary.zh-Hans.yaml"));
        var characters = Read<CharactersFile>(deserializer, Path.Combine(folder, "characters.yaml"));
        var intents = Read<IntentsFile>(deserializer, Path.Combine(folder, "intents.zh-Hans.yaml"));

        var toSimplified = new Dictionary<char, char>();
        var toTraditional = new Dictionary<char, char>();
        foreach (var pair in characters.Pairs.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (pair.Length != 2)
            {
                throw new InvalidDataException($"{folder}/characters.yaml: '{pair}' is not a pair of two characters.");
            }

            toSimplified.TryAdd(pair[0], pair[1]);
            if (pair[0] != pair[1])
            {
                toTraditional.TryAdd(pair[1], pair[0]);
            }
        }

        var synonyms = vocabulary.Synonyms
            .SelectMany(s => s.Value.Select(v => KeyValuePair.Create(v.ToLowerInvariant(), s.Key)))
            .OrderByDescending(p => p.Key.Length)
            .ToList();
        var rules = intents.Intents
            .Select(i => new IntentRule(
                ChatIntents.Parse(i.Key),
                i.Value.Menu,
                i.Value.MaxLength,
                i.Value.Keywords.Select(k => KeyValuePair.Create(k.Key.ToLowerInvariant(), k.Value)).ToList()))
            .ToList();
        var languages = intents.Languages
            .SelectMany(l => l.Value.Select(w => KeyValuePair.Create(w.ToLowerInvariant(), ChatLanguages.Parse(l.Key))))
            .OrderByDescending(p => p.Key.Length)
            .ToList();
        return new ChatVocabulary(
            vocabulary.Fillers.OrderByDescending(f => f.Length).ToList(),
            synonyms,
            toSimplified.ToFrozenDictionary(),
            toTraditional.ToFrozenDictionary(),
            rules,
            languages);
    }

    private static T Read<T>(IDeserializer deserializer, string path)
    {
        using var reader = File.OpenText(path);
        return deserializer.Deserialize<T>(reader) ?? throw new InvalidDataException($"{path}: empty file");
    }

    private sealed class VocabularyFile
    {
        public List<string> Fillers { get; set; } = [];

        public Dictionary<string, List<string>> Synonyms { get; set; } = [];
    }

    private sealed class CharactersFile
    {
        public string Pairs { get; set; } = string.Empty;
    }

    private sealed class IntentsFile
    {
        public Dictionary<string, IntentFileEntry> Intents { get; set; } = [];

        public Dictionary<string, List<string>> Languages { get; set; } = [];
    }

    private sealed class IntentFileEntry
    {
        public int? Menu { get; set; }

        public int? MaxLength { get; set; }

        public Dictionary<string, double> Keywords { get; set; } = [];
    }
}

/// <summary>Keywords that raise one intent's score (only in messages up to <paramref name="MaxLength"/> characters when
/// set), and its menu number if it has one.</summary>
/// <param name="Intent">The intent.</param>
/// <param name="Menu">Its menu number, or null.</param>
/// <param name="MaxLength">Longest canonical message the keywords apply to ("你好" opens longer questions too), or null.</param>
/// <param name="Keywords">Keyword and weight.</param>
internal sealed record IntentRule(ChatIntent Intent, int? Menu, int? MaxLength, IReadOnlyList<KeyValuePair<string, double>> Keywords);
