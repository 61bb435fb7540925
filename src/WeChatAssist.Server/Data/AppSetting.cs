namespace WeChatAssist.Server.Data;

/// <summary>A setting staff change at run time, stored in <c>app_settings</c>.</summary>
internal sealed class AppSetting
{
    public required string Key { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
