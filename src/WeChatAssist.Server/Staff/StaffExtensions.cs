using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Staff;

/// <summary>Staff accounts: cookie sign-in, role policies with scope claims, the bootstrap administrator, the audit log.</summary>
internal static class StaffExtensions
{
    public const string CookieName = "wca_staff";

    public static IHostApplicationBuilder AddStaff(this IHostApplicationBuilder builder)
    {
        builder.AddResidents();
        builder.Services.AddOptions<StaffOptions>()
            .Bind(builder.Configuration.GetSection(StaffOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                o => string.IsNullOrWhiteSpace(o.BootstrapAdmin.UserName) || o.BootstrapAdmin.Password is { Length: >= 10 },
                $"{StaffOptions.SectionName}:BootstrapAdmin:Password: required with {StaffOptions.SectionName}:BootstrapAdmin:UserName, at least 10 characters (environment or user secrets).")
            .ValidateOnStart();
        builder.Services.AddSingleton<StaffStore>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService<StaffBootstrap>();
        builder.AddStaffAntiforgery();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;

                // Every request re-reads the account: a disabled account or a reset password ends its sessions at once.
                options.Events.OnValidatePrincipal = ValidateAccountAsync;

                // An API answers 401/403; only the console's pages send a browser to the console's login page.
                options.LoginPath = "/console/login";
                options.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/console", StringComparison.Ordinal))
                    {
                        context.Response.Redirect(context.RedirectUri);
                        return Task.CompletedTask;
                    }

                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StaffClaims.BureauPolicy, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireRole("bureau"))
            .AddPolicy(StaffClaims.TownshipPolicy, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireRole("bureau", "township"))
            .AddPolicy(StaffClaims.VillagePolicy, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireRole("bureau", "township", "village"));
        return builder;
    }

    public static IEndpointRouteBuilder MapStaff(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaffAccounts();
        endpoints.MapAdminResidents();
        endpoints.MapStaffManagement();
        return endpoints;
    }

    private static async Task ValidateAccountAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var store = context.HttpContext.RequestServices.GetRequiredService<StaffStore>();
        var user = string.IsNullOrEmpty(name) ? null : await store.FindAsync(name, context.HttpContext.RequestAborted);
        if (user is null || user.DisabledAt is not null
            || !string.Equals(user.SecurityStamp, context.Principal!.FindFirst(StaffClaims.SecurityStamp)?.Value ?? "", StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
