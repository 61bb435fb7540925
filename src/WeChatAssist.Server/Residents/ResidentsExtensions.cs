using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.PersonalData;

namespace WeChatAssist.Server.Residents;

/// <summary>Registers the resident registry, its personal-data protection and the plain-Chinese texts.</summary>
internal static class ResidentsExtensions
{
    public static IHostApplicationBuilder AddResidents(this IHostApplicationBuilder builder)
    {
        // Called by both the staff console and the mini-program; registers once.
        if (builder.Services.Any(d => d.ServiceType == typeof(ResidentRegistry)))
        {
            return builder;
        }

        builder.AddPersonalData();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ResidentRegistry>();
        builder.Services.AddSingleton<ResidentEditor>();
        builder.Services.AddProblemTexts(ProblemTextKeys.Residents);
        builder.Services.AddProblemDetails();

        // Staff cookies and mini-program tokens must be readable on every node, so the key ring lives in the database.
        builder.Services.AddSingleton<DatabaseKeyRing>();
        builder.Services.AddDataProtection().SetApplicationName("WeChatAssist");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<DatabaseKeyRing, PersonalDataProtector>((options, keyRing, protector) =>
            {
                options.XmlRepository = keyRing;

                // Without personal-data keys nothing personal is served; the key ring is then stored as the framework writes it.
                if (protector.IsConfigured)
                {
                    options.XmlEncryptor = new PersonalDataXmlEncryptor(protector);
                }
            });
        return builder;
    }
}
