using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Tests.Residents;

public sealed class StaffAntiforgeryRuleTests
{
    [Theory]
    [InlineData("POST", "Cookies", "authorized", true)]
    [InlineData("DELETE", "Cookies", "authorized", true)]
    [InlineData("PUT", "Cookies", "authorized", true)]
    [InlineData("POST", "Cookies", "authorized-upload", true)] // DisableAntiforgery() on a multipart upload is no exemption
    [InlineData("GET", "Cookies", "authorized", false)]
    [InlineData("POST", "MiniProgram", "authorized", false)]
    [InlineData("POST", null, "authorized", false)]
    [InlineData("POST", "Cookies", "anonymous", false)]
    [InlineData("POST", "Cookies", "allow-anonymous", false)]
    [InlineData("POST", "Cookies", "none", false)]
    public void Writes_need_a_token_only_when_the_staff_cookie_signed_in_the_caller_of_an_authorized_endpoint(string method, string? scheme, string endpoint, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.User = scheme is null ? new ClaimsPrincipal(new ClaimsIdentity()) : new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "x")], scheme));
        object[] metadata = endpoint switch
        {
            "authorized" => [new AuthorizeAttribute("village")],
            "authorized-upload" => [new AuthorizeAttribute("bureau"), new DisabledAntiforgery()],
            "allow-anonymous" => [new AuthorizeAttribute("village"), new AllowAnonymousAttribute()],
            _ => [],
        };
        if (endpoint != "none")
        {
            context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), endpoint));
        }

        Assert.Equal(expected, StaffAntiforgery.NeedsToken(context));
    }

    private sealed class DisabledAntiforgery : IAntiforgeryMetadata
    {
        public bool RequiresValidation => false;
    }
}
