namespace WeChatAssist.Server.Demo;

/// <summary>One generated resident before encryption (the writer gives it its registry id); <see cref="OpenId"/> is set when bound, <see cref="PaidOn"/> when paid.</summary>
internal sealed record DemoResident(
    string Township,
    string Village,
    string Name,
    string IdNumber,
    DateOnly BirthDate,
    string? Category,
    string? OpenId,
    DateOnly? PaidOn,
    long? AmountFen);
