using WeChatAssist.Server.Corrections;
using WeChatAssist.WeChat.Api;

namespace WeChatAssist.Server.Tests.Corrections;

/// <summary>What one answer of WeChat means for the outcome message: sent, given up, or when to try again.</summary>
public sealed class CorrectionNotificationDecisionTests
{
    // 2023-11-15 10:00 in China.
    private static readonly DateTimeOffset Now = new(2023, 11, 15, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly CorrectionResultMessageOptions Options = new() { MaxAttempts = 8, RetryBaseDelay = TimeSpan.FromMinutes(1), RetryMaxDelay = TimeSpan.FromHours(6) };

    [Theory]
    [InlineData(-1, 1, 1.0)]
    [InlineData(-1, 2, 2.0)]
    [InlineData(-1, 5, 16.0)]
    [InlineData(45011, 3, 4.0)]
    [InlineData(40001, 1, 1.0)]
    [InlineData(-1, 7, 64.0)]
    public void A_transient_error_is_retried_after_the_base_delay_doubled_per_attempt(int code, int attempt, double minutes)
    {
        var low = CorrectionNotifier.Decide(WeChatError.FromCode(code, "x"), attempt, Now, Options, China, 0.0);
        var high = CorrectionNotifier.Decide(WeChatError.FromCode(code, "x"), attempt, Now, Options, China, 0.999999);

        Assert.Equal((NotificationStatus.Retrying, attempt, code), (low.Status, low.Attempts, low.ErrorCode!.Value));
        Assert.Equal(Now + TimeSpan.FromMinutes(minutes * 0.75), low.NextAt);
        Assert.InRange(high.NextAt!.Value, Now + TimeSpan.FromMinutes(minutes * 1.2499), Now + TimeSpan.FromMinutes(minutes * 1.25));
    }

    [Fact]
    public void The_wait_is_capped_at_the_maximum_delay()
    {
        var options = new CorrectionResultMessageOptions { MaxAttempts = 50, RetryBaseDelay = TimeSpan.FromMinutes(1), RetryMaxDelay = TimeSpan.FromHours(6) };

        var decision = CorrectionNotifier.Decide(WeChatError.Transport("timed out"), 30, Now, options, China, 0.5);

        Assert.Equal(Now + TimeSpan.FromHours(6), decision.NextAt);
    }

    [Fact]
    public void A_daily_quota_waits_for_the_next_day_in_china()
    {
        var decision = CorrectionNotifier.Decide(WeChatError.FromCode(45009, "reach max api daily quota limit"), 1, Now, Options, China, 0.5);

        Assert.Equal(NotificationStatus.Retrying, decision.Status);
        Assert.Equal(new DateTimeOffset(2023, 11, 16, 0, 0, 0, TimeSpan.FromHours(8)), decision.NextAt);
    }

    [Theory]
    [InlineData(43101)]
    [InlineData(40003)]
    [InlineData(47003)]
    [InlineData(40037)]
    public void A_permanent_refusal_fails_at_once_with_its_code(int code)
    {
        var decision = CorrectionNotifier.Decide(WeChatError.FromCode(code, "refused"), 1, Now, Options, China, 0.5);

        Assert.Equal((NotificationStatus.Failed, 1, code, (DateTimeOffset?)null), (decision.Status, decision.Attempts, decision.ErrorCode!.Value, decision.NextAt));
    }

    [Fact]
    public void The_last_attempt_gives_up_and_success_is_sent()
    {
        var last = CorrectionNotifier.Decide(WeChatError.FromCode(-1, "system busy"), 8, Now, Options, China, 0.5);
        var sent = CorrectionNotifier.Decide(null, 3, Now, Options, China, 0.5);

        Assert.Equal(NotificationStatus.Failed, last.Status);
        Assert.StartsWith("Gave up after 8 attempts", last.Error, StringComparison.Ordinal);
        Assert.Equal((NotificationStatus.Sent, 3, (int?)null, (string?)null), (sent.Status, sent.Attempts, sent.ErrorCode, sent.Error));
    }
}

/// <summary><c>Corrections:*</c> settings are checked at start.</summary>
public sealed class CorrectionsOptionsTests
{
    [Theory]
    [InlineData("30.00:00:00", true)]
    [InlineData("00:00:00", true)]
    [InlineData("-1.00:00:00", false)]
    [InlineData("4000.00:00:00", false)]
    public void Photo_retention_must_be_between_zero_and_ten_years(string retention, bool valid)
    {
        var options = new CorrectionsOptions { PhotoRetention = TimeSpan.Parse(retention, System.Globalization.CultureInfo.InvariantCulture) };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var ok = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true);

        Assert.Equal(valid, ok);
        Assert.Equal(valid ? 0 : 1, results.Count(r => r.MemberNames.Contains(nameof(CorrectionsOptions.PhotoRetention))));
    }

    [Fact]
    public void The_default_photo_retention_is_thirty_days() => Assert.Equal(TimeSpan.FromDays(30), new CorrectionsOptions().PhotoRetention);
}
