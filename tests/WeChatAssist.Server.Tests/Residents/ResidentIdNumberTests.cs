using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Tests.Residents;

public sealed class ResidentIdNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    // Check digits computed independently (Python, GB 11643 weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, "10X98765432").
    [Theory]
    [InlineData("11010519491231002X", "11010519491231002X", "1949-12-31")]
    [InlineData("500231198503121235", "500231198503121235", "1985-03-12")]
    [InlineData("500243201007010042", "500243201007010042", "2010-07-01")]
    [InlineData("411728197202290020", "411728197202290020", "1972-02-29")]
    [InlineData("140823200001013459", "140823200001013459", "2000-01-01")]
    [InlineData("11010519491231002x", "11010519491231002X", "1949-12-31")]
    [InlineData("５００２３１１９８５０３１２１２３５", "500231198503121235", "1985-03-12")]
    [InlineData("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", "1949-12-31")]
    [InlineData(" 500231 19850312 1235 ", "500231198503121235", "1985-03-12")]
    public void Valid_numbers_are_normalised_and_yield_the_birth_date(string text, string normalised, string birthDate)
    {
        Assert.True(ResidentIdNumber.TryParse(text, Today, out var number, out var error), error.ToString());
        Assert.Equal(normalised, number.Value.Value);
        Assert.Equal(DateOnly.Parse(birthDate, System.Globalization.CultureInfo.InvariantCulture), number.Value.BirthDate);
        Assert.Equal(IdNumberError.None, error);
    }

    [Theory]
    [InlineData(null, "Empty")]
    [InlineData("   ", "Empty")]
    [InlineData("50023119850312123", "WrongLength")]
    [InlineData("5002311985031212355", "WrongLength")]
    [InlineData("5002311985031212A5", "InvalidCharacter")]
    [InlineData("X00231198503121235", "InvalidCharacter")]
    [InlineData("50023119850312-235", "InvalidCharacter")]
    [InlineData("990231198503121235", "UnknownRegion")]
    [InlineData("000231198503121235", "UnknownRegion")]
    [InlineData("500000198503121235", "UnknownRegion")]
    [InlineData("500231197302291235", "InvalidBirthDate")]
    [InlineData("500231198513011235", "InvalidBirthDate")]
    [InlineData("500231198504311235", "InvalidBirthDate")]
    [InlineData("500231209901011235", "BirthDateInFuture")]
    [InlineData("500231202611231235", "BirthDateInFuture")]
    [InlineData("500231189912311235", "BirthDateTooEarly")]
    [InlineData("440524188001010014", "BirthDateTooEarly")] // GB 11643's own example: a right check digit, born 1880
    [InlineData("500231198503121236", "ChecksumMismatch")]
    [InlineData("500231198503121230", "ChecksumMismatch")]
    [InlineData("11010519491231002Y", "InvalidCharacter")]
    [InlineData("110105194912310021", "ChecksumMismatch")]
    public void Invalid_numbers_are_refused_with_a_distinct_reason(string? text, string reason)
    {
        var expected = Enum.Parse<IdNumberError>(reason);
        Assert.False(ResidentIdNumber.TryParse(text, Today, out var number, out var error));
        Assert.Null(number);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Born_today_is_accepted() =>
        Assert.True(ResidentIdNumber.TryParse("50023120261122000" + ResidentIdNumber.CheckCharacter("50023120261122000"), Today, out _, out _));

    [Fact]
    public void Every_reason_has_a_plain_chinese_text()
    {
        var texts = ProblemTexts.LoadFile(Path.Combine(AppContext.BaseDirectory, ProblemTexts.FileFor(ProblemTextKeys.Residents)));
        foreach (var error in Enum.GetValues<IdNumberError>().Where(e => e != IdNumberError.None))
        {
            var problem = texts.Problem(400, error.TextKey());
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.ProblemDetails.Detail!);
        }
    }

    [Fact]
    public void The_four_served_counties_are_valid_regions()
    {
        foreach (var code in ResidentIdNumber.ServedCounties.Keys)
        {
            var first17 = code + "19900101001";
            Assert.True(ResidentIdNumber.TryParse(first17 + ResidentIdNumber.CheckCharacter(first17), Today, out var number, out _));
            Assert.Equal(code, number.Value.RegionCode);
        }
    }

    [Fact]
    public void Printing_a_number_shows_it_masked()
    {
        Assert.True(ResidentIdNumber.TryParse("500231198503121235", Today, out var number, out _));
        Assert.Equal("5002**********1235", number.Value.ToString());
        Assert.DoesNotContain("198503121", $"{number}", StringComparison.Ordinal);
    }
}
