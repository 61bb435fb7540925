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

/// <summary>A checked 18-character citizen identity number (GB 11643-1999), normalised to ASCII digits and upper-case X.</summary>
internal readonly record struct ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";
    private static readonly DateOnly Earliest = new(1900, 1, 1);

    // GB/T 2260 province-level codes (incl. 71 台湾, 81 香港, 82 澳门).
    private static readonly HashSet<int> Provinces =
    [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    ];

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

        var province = (normalised[0] - '0') * 10 + (normalised[1] - '0');
        if (!Provinces.Contains(province) || normalised[2..6] == "0000")
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
