namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>Residents' questions filed under the clause that answers them (<c>localization/chat/clause-examples.tsv</c>,
/// generated from the resident set's dev split): the clause index also finds a clause through the words residents
/// used for it, which the notice's own words often do not share ("屋头人帮我交" → 委托他人).</summary>
internal sealed class ClauseExamples
{
    /// <summary>The file's name in <c>localization/chat/</c>.</summary>
    public const string FileName = "clause-examples.tsv";

    private readonly Dictionary<string, List<(string Numbering, string Text)>> _byPolicy;

    private ClauseExamples(Dictionary<string, List<(string Numbering, string Text)>> byPolicy) => _byPolicy = byPolicy;

    /// <summary>No examples.</summary>
    public static ClauseExamples Empty { get; } = new(new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal));

    /// <summary>Reads the file (header <c>policy clause text</c>; lines starting with # are comments).</summary>
    public static ClauseExamples Load(string path)
    {
        var byPolicy = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        var header = false;
        var line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (raw.Length == 0 || raw[0] == '#')
            {
                continue;
            }

            var cells = raw.Split('\t');
            if (!header)
            {
                header = cells is ["policy", "clause", "text"]
                    ? true
                    : throw new InvalidDataException($"{path}:{line}: the header must be 'policy<TAB>clause<TAB>text'.");
                continue;
            }

            if (cells.Length != 3 || cells.Any(c => c.Length == 0))
            {
                throw new InvalidDataException($"{path}:{line}: expected a policy id, a clause numbering and a question, tab-separated.");
            }

            if (!byPolicy.TryGetValue(cells[0], out var examples))
            {
                byPolicy[cells[0]] = examples = [];
            }

            examples.Add((cells[1], cells[2]));
        }

        return new ClauseExamples(byPolicy);
    }

    /// <summary>The examples of one policy: the numbering of the clause and the question.</summary>
    public IReadOnlyList<(string Numbering, string Text)> For(string policyId) =>
        _byPolicy.TryGetValue(policyId, out var examples) ? examples : [];
}
