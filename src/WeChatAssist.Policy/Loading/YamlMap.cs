using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeChatAssist.Policy;

/// <summary>
/// A strict reader over one YAML mapping: typed getters, line-numbered errors, unknown keys rejected. Every key is
/// looked up in the mapping's <see cref="Vocabulary"/>: reading an undeclared key, or with a getter of another kind,
/// is a programming error (the JSON Schema is written from the vocabulary, so it must describe what is read).
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly Vocabulary _vocabulary;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="text"/> as one YAML document holding one mapping, the root of a policy or a
    /// national layer file; <paramref name="fileKind"/> names the file in the error ("a policy file").</summary>
    public static YamlMap LoadRoot(TextReader text, string file, Vocabulary vocabulary, string fileKind)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(text);
        }
        catch (YamlException ex)
        {
            throw new PolicyLoadException(file, (int)ex.Start.Line, (int)ex.Start.Column, "not valid YAML: " + ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports some scanner errors without a position.
            throw new PolicyLoadException(file, 0, "not valid YAML: " + ex.Message, ex);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new PolicyLoadException(file, 1, 1, $"{fileKind} must hold exactly one mapping");
        }

        return new YamlMap(file, root, vocabulary);
    }

    public YamlMap(string file, YamlMappingNode node, Vocabulary vocabulary)
    {
        File = file;
        _node = node;
        _vocabulary = vocabulary;
    }

    public string File { get; }

    public int Line => LineOf(_node);

    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    public static int ColumnOf(YamlNode node) => (int)node.Start.Column;

    public PolicyLoadException Error(string reason) => new(File, Line, ColumnOf(_node), reason);

    public PolicyLoadException Error(YamlNode node, string reason) => new(File, LineOf(node), ColumnOf(node), reason);

    public bool Has(string key)
    {
        _ = Declared(key);
        return _node.Children.ContainsKey(new YamlScalarNode(key));
    }

    public YamlNode? Get(string key)
    {
        _ = Declared(key);
        _used.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    public YamlNode Required(string key) => Get(key) ?? throw Error($"missing required key '{key}'");

    public string Str(string key) => Scalar(Required(Expect(key, TermKind.Text, TermKind.Choice)), key);

    public string? OptStr(string key) => Get(Expect(key, TermKind.Text, TermKind.Choice)) is { } n ? Scalar(n, key) : null;

    public int Int(string key) => ParseInt(Required(Expect(key, TermKind.Integer)), key);

    public int? OptInt(string key) => Get(Expect(key, TermKind.Integer)) is { } n ? ParseInt(n, key) : null;

    public bool Bool(string key, bool defaultValue)
    {
        if (Get(Expect(key, TermKind.Boolean)) is not { } n)
        {
            return defaultValue;
        }

        return Scalar(n, key) switch
        {
            "true" => true,
            "false" => false,
            var s => throw Error(n, $"'{key}' must be true or false, not '{s}'"),
        };
    }

    public DateOnly Date(string key) => ParseDate(Required(Expect(key, TermKind.Date)), key);

    public DateOnly? OptDate(string key) => Get(Expect(key, TermKind.Date)) is { } n ? ParseDate(n, key) : null;

    public long Fen(string key) => ParseFen(Required(Expect(key, TermKind.Yuan)), key);

    public long? OptFen(string key) => Get(Expect(key, TermKind.Yuan)) is { } n ? ParseFen(n, key) : null;

    public decimal Decimal(string key)
    {
        var n = Required(Expect(key, TermKind.Decimal));
        var s = Scalar(n, key);
        return decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw Error(n, $"'{key}' must be a number, not '{s}'");
    }

    public YamlMap Map(string key) => AsMap(Required(Expect(key, TermKind.Map)), key);

    public YamlMap? OptMap(string key) => Get(Expect(key, TermKind.Map)) is { } n ? AsMap(n, key) : null;

    public IReadOnlyList<YamlMap> MapList(string key, bool required = true)
    {
        Expect(key, TermKind.MapList);
        var n = required ? Required(key) : Get(key);
        if (n is null)
        {
            return [];
        }

        if (n is not YamlSequenceNode seq)
        {
            throw Error(n, $"'{key}' must be a list");
        }

        return seq.Children.Select(c => AsMap(c, key)).ToList();
    }

    public IReadOnlyList<(string Value, YamlNode Node)> StrList(string key, bool required = true)
    {
        Expect(key, TermKind.ClauseIds, TermKind.TextList);
        var n = required ? Required(key) : Get(key);
        if (n is null)
        {
            return [];
        }

        if (n is not YamlSequenceNode seq)
        {
            throw Error(n, $"'{key}' must be a list");
        }

        return seq.Children.Select(c => (Scalar(c, key), c)).ToList();
    }

    /// <summary>Rejects keys nobody read: a misspelt key must not be silently ignored.</summary>
    public void EnsureNoUnknownKeys()
    {
        foreach (var key in _node.Children.Keys)
        {
            var name = key is YamlScalarNode s ? s.Value ?? string.Empty : string.Empty;
            if (!_used.Contains(name) || _vocabulary.Find(name) is null)
            {
                throw Error(key, $"unknown key '{name}'");
            }
        }
    }

    public string Scalar(YamlNode n, string key) =>
        n is YamlScalarNode { Value: { } v } ? v : throw Error(n, $"'{key}' must be a single value");

    public YamlMap AsMap(YamlNode n, string key) =>
        n is YamlMappingNode m
            ? new YamlMap(File, m, Declared(key).Map ?? throw new InvalidOperationException($"'{key}' in {_vocabulary.Name} is not declared as a mapping"))
            : throw Error(n, $"'{key}' must be a mapping");

    private Term Declared(string key) =>
        _vocabulary.Find(key) ?? throw new InvalidOperationException($"the loader reads '{key}' in {_vocabulary.Name}, which PolicyVocabulary does not declare");

    private string Expect(string key, params TermKind[] kinds)
    {
        var term = Declared(key);
        if (!kinds.Contains(term.Kind))
        {
            throw new InvalidOperationException($"the loader reads '{key}' in {_vocabulary.Name} as {string.Join(" or ", kinds)}, but PolicyVocabulary declares it {term.Kind}");
        }

        return key;
    }

    public long ParseFen(YamlNode n, string key)
    {
        var s = Scalar(n, key);
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan))
        {
            throw Error(n, $"'{key}' must be an amount in yuan, not '{s}'");
        }

        var fen = yuan * 100m;
        if (fen != decimal.Truncate(fen))
        {
            throw Error(n, $"amount {s} in '{key}' is not in whole fen");
        }

        return (long)fen;
    }

    private int ParseInt(YamlNode n, string key)
    {
        var s = Scalar(n, key);
        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw Error(n, $"'{key}' must be a whole number, not '{s}'");
    }

    private DateOnly ParseDate(YamlNode n, string key)
    {
        var s = Scalar(n, key);
        return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw Error(n, $"'{key}' must be a date YYYY-MM-DD, not '{s}'");
    }
}
