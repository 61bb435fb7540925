using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WeChatAssist.Server.Payments;

/// <summary>Registers the payment ledger; features add <see cref="IPaymentsRecordedParticipant"/>s of their own.</summary>
internal static class PaymentsExtensions
{
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<PaymentLedger>();
        return builder;
    }
}
