using System.Text;

namespace WeChatAssist.Server.Imports;

/// <summary>RFC 4180 records from text: quoted fields may hold separators, doubled quotes and line breaks. The
/// separator is the first line's comma, tab or semicolon, whichever occurs most outside quotes (Excel writes tabs
/// for "Unicode text" and semicolons in some locales).</summary>
internal static class CsvRecords
{
    /// <summary>The records with the line number each starts on (1-based, as a spreadsheet would number it).</summary>
    public static IEnumerable<SheetRow> Read(TextReader reader)
    {
        var first = reader.ReadLine();
        if (first is null)
        {
            yield break;
        }

        var separator = DetectSeparator(first);
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var startLine = 1;
        var text = first;
        var position = 0;
        var quoted = false;
        var fieldStarted = false;
        while (true)
        {
            if (position >= text.Length)
            {
                if (quoted)
                {
                    // A line break inside a quoted field belongs to the field.
                    var next = reader.ReadLine();
                    if (next is null)
                    {
                        fields.Add(field.ToString());
                        yield return new SheetRow(startLine, [.. fields]);
                        yield break;
                    }

                    field.Append('\n');
                    text = next;
                    position = 0;
                    line++;
                    continue;
                }

                fields.Add(field.ToString());
                yield return new SheetRow(startLine, [.. fields]);
                fields.Clear();
                field.Clear();
                fieldStarted = false;
                var following = reader.ReadLine();
                if (following is null)
                {
                    yield break;
                }

                text = following;
                position = 0;
                line++;
                startLine = line;
                continue;
            }

            var c = text[position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (position < text.Length && text[position] == '"')
                    {
                        field.Append('"');
                        position++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
            }
            else if (c == '"' && !fieldStarted)
            {
                quoted = true;
                fieldStarted = true;
            }
            else
            {
                field.Append(c);
                fieldStarted = true;
            }
        }
    }

    private static char DetectSeparator(string line)
    {
        int commas = 0, tabs = 0, semicolons = 0;
        var quoted = false;
        foreach (var c in line)
        {
            switch (c)
            {
                case '"':
                    quoted = !quoted;
                    break;
                case ',' when !quoted:
                    commas++;
                    break;
                case '\t' when !quoted:
                    tabs++;
                    break;
                case ';' when !quoted:
                    semicolons++;
                    break;
            }
        }

        return tabs > commas && tabs >= semicolons ? '\t' : semicolons > commas ? ';' : ',';
    }
}
