using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WeChatAssist.Server.Residents;

/// <summary>Why a 身份证 number was refused; each has its own plain-Chinese text in <c>localization/</c>.</summary>
internal enum IdNumberError
{
    None,
    Empty,
    WrongLength,
    InvalidCharacter,
    UnknownRegion,
    InvalidBirthDate,
    BirthDateInFuture,
    BirthDateTooEarly,
    ChecksumMismatch,
}

/// <summary>The problem text of an <see cref="IdNumberError"/> (in <c>localization/miniprogram.zh-Hans.json</c>, also
/// read by imports for a row's ID number).</summary>
internal static class IdNumberErrorKeys
{
    /// <summary>The text key of an ID number error: <c>id</c> and its name (<c>idChecksumMismatch</c>).</summary>
    public static string TextKey(this IdNumberError error) => "id" + error.ToString();
}

/// <summary>A checked 18-character citizen identity number (GB 11643-1999), normalised to ASCII digits and upper-case X.</summary>
internal readonly record struct ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";
    private static readonly DateOnly Earliest = new(1900, 1, 1);

    /// <summary>The embedded resource name of <c>Residents/regions.txt</c>.</summary>
    public const string RegionsResource = "WeChatAssist.Regions.txt";

    // Every GB/T 2260 code a number may start with, current and abolished (see the file's header).
    private static readonly FrozenSet<string> Regions = LoadRegions();

    /// <summary>The counties this product serves (GB/T 2260): 垫江县, 彭水苗族土家族自治县, 遂平县, 闻喜县.</summary>
    public static IReadOnlyDictionary<string, string> ServedCounties { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["500231"] = "垫江县",
        ["500243"] = "彭水苗族土家族自治县",
        ["411728"] = "遂平县",
        ["140823"] = "闻喜县",
    };

    private ResidentIdNumber(string value, DateOnly birthDate)
    {
        Value = value;
        BirthDate = birthDate;
    }

    /// <summary>The normalised 18 characters.</summary>
    public string Value { get; }

    /// <summary>The birth date the number encodes.</summary>
    public DateOnly BirthDate { get; }

    /// <summary>The 6-digit region code of registration.</summary>
    public string RegionCode => Value[..6];

    /// <summary>Parses and checks <paramref name="text"/>; full-width digits, full-width or lower-case x and
    /// surrounding spaces are accepted. <paramref name="today"/> bounds the birth date.</summary>
    public static bool TryParse(string? text, DateOnly today, [NotNullWhen(true)] out ResidentIdNumber? number, out IdNumberError error)
    {
        number = null;
        var normalised = Normalise(text);
        if (normalised.Length == 0)
        {
            error = IdNumberError.Empty;
            return false;
        }

        if (normalised.Length != 18)
        {
            error = IdNumberError.WrongLength;
            return false;
        }

        for (var i = 0; i < 18; i++)
        {
            if (!char.IsAsciiDigit(normalised[i]) && !(i == 17 && normalised[i] == 'X'))
            {
                error = IdNumberError.InvalidCharacter;
                return false;
            }
        }

        if (!IsKnownRegion(normalised.AsSpan(0, 6)))
        {
            error = IdNumberError.UnknownRegion;
            return false;
        }

        if (!DateOnly.TryParseExact(normalised.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate))
        {
            error = IdNumberError.InvalidBirthDate;
            return false;
        }

        if (birthDate > today)
        {
            error = IdNumberError.BirthDateInFuture;
            return false;
        }

        if (birthDate < Earliest)
        {
            error = IdNumberError.BirthDateTooEarly;
            return false;
        }

        if (CheckCharacter(normalised.AsSpan(0, 17)) != normalised[17])
        {
            error = IdNumberError.ChecksumMismatch;
            return false;
        }

        error = IdNumberError.None;
        number = new ResidentIdNumber(normalised, birthDate);
        return true;
    }

    /// <summary>Whether <paramref name="code"/> is a GB/T 2260 code a 身份证 number may begin with.</summary>
    public static bool IsKnownRegion(ReadOnlySpan<char> code) => Regions.GetAlternateLookup<ReadOnlySpan<char>>().Contains(code);

    /// <summary>The MOD 11-2 check character of the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Masked, so a number that reaches a log or an interpolated string shows only its ends.</summary>
    public override string ToString() => PersonalData.PersonalDataMask.IdNumber(Value);

    private static FrozenSet<string> LoadRegions()
    {
        using var stream = typeof(ResidentIdNumber).Assembly.GetManifestResourceStream(RegionsResource)
            ?? throw new InvalidOperationException($"The embedded region list {RegionsResource} is missing from the build.");
        using var reader = new StreamReader(stream);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length >= 6 && line[0] != '#')
            {
                codes.Add(line[..6]);
            }
        }

        return codes.ToFrozenSet(StringComparer.Ordinal);
    }

    private static string Normalise(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var chars = new List<char>(18);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\u3000')
            {
                continue;
            }

            chars.Add(c switch
            {
                >= '０' and <= '９' => (char)('0' + (c - '０')),
                'x' or 'Ｘ' or 'ｘ' => 'X',
                _ => c,
            });
        }

        return new string([.. chars]);
    }
}
