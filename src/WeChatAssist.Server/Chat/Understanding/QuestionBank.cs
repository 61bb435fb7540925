using System.Globalization;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>One labelled resident question of <c>localization/chat/question-bank.tsv</c>.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Split"><c>train</c> (the classifier's examples) or <c>test</c> (held out for evaluation).</param>
/// <param name="PolicyId">The county's policy the question is asked to.</param>
/// <param name="Today">Business date of the question.</param>
/// <param name="Intent">Expected intent.</param>
/// <param name="Text">The question as a resident typed it.</param>
/// <param name="Expected">Amounts and dates the answer must contain (empty when none is checked).</param>
/// <param name="Slots">Expected slots (<c>category</c> code, <c>date</c>, <c>tier</c>), empty when none is checked.</param>
internal sealed record LabelledQuestion(string Id, string Split, string PolicyId, DateOnly Today, ChatIntent Intent, string Text, IReadOnlyList<string> Expected, IReadOnlyDictionary<string, string> Slots);

/// <summary>The labelled question bank: train split for the classifier, test split for the evaluation.</summary>
internal static class QuestionBank
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "localization/chat/question-bank.tsv";

    /// <summary>Reads the tab-separated file (header: id, split, policy, today, intent, text, expected with '|' between strings, slots as name=value;...).</summary>
    public static IReadOnlyList<LabelledQuestion> LoadFile(string path)
    {
        var questions = new List<LabelledQuestion>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < 6)
            {
                throw new InvalidDataException($"{path} line {lineNumber}: expected 7 tab-separated fields, found {fields.Length}.");
            }

            if (fields[1] is not ("train" or "test"))
            {
                throw new InvalidDataException($"{path} line {lineNumber}: split must be train or test, found '{fields[1]}'.");
            }

            questions.Add(new LabelledQuestion(
                fields[0],
                fields[1],
                fields[2],
                DateOnly.ParseExact(fields[3], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                ChatIntents.Parse(fields[4]),
                fields[5],
                fields.Length > 6 && fields[6].Length > 0 ? fields[6].Split('|') : [],
                fields.Length > 7 && fields[7].Length > 0
                    ? fields[7].Split(';').Select(pair => pair.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal)
                    : new Dictionary<string, string>()));
        }

        return questions;
    }
}
