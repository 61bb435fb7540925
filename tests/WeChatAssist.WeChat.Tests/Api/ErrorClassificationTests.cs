using WeChatAssist.WeChat.Api;

namespace WeChatAssist.WeChat.Tests.Api;

public class ErrorClassificationTests
{
    [Theory]
    [InlineData(-1, WeChatErrorClass.Transient)]
    [InlineData(40001, WeChatErrorClass.Token)]
    [InlineData(42001, WeChatErrorClass.Token)]
    [InlineData(40014, WeChatErrorClass.Token)]
    [InlineData(45009, WeChatErrorClass.Quota)]
    [InlineData(45011, WeChatErrorClass.Quota)]
    [InlineData(45047, WeChatErrorClass.Quota)]
    [InlineData(43101, WeChatErrorClass.Permanent)]
    [InlineData(43004, WeChatErrorClass.Permanent)]
    [InlineData(40003, WeChatErrorClass.Permanent)]
    [InlineData(47003, WeChatErrorClass.Permanent)]
    [InlineData(40037, WeChatErrorClass.Permanent)]
    [InlineData(40029, WeChatErrorClass.Permanent)]
    [InlineData(40163, WeChatErrorClass.Permanent)]
    [InlineData(41030, WeChatErrorClass.Permanent)]
    [InlineData(61023, WeChatErrorClass.Permanent)]
    [InlineData(45015, WeChatErrorClass.Permanent)]
    [InlineData(40125, WeChatErrorClass.Permanent)]
    [InlineData(99999, WeChatErrorClass.Permanent)]
    public void Each_error_code_has_its_class(int code, WeChatErrorClass expected) =>
        Assert.Equal(expected, WeChatErrorCodes.Classify(code));

    [Fact]
    public void Transport_failures_are_transient() =>
        Assert.Equal(WeChatErrorClass.Transient, WeChatError.Transport("HTTP 502").Class);
}
