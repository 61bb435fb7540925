namespace WeChatAssist.Server.Demo;

/// <summary>One generated resident before encryption; <see cref="OpenId"/> is set when bound, <see cref="PaidOn"/> when paid.</summary>
internal sealed record DemoResident(
    long Id,
    string Township,
    string Village,
    string Name,
    string IdNumber,
    DateOnly BirthDate,
    string? Category,
    string? OpenId,
    DateOnly? PaidOn,
    long? AmountFen);
