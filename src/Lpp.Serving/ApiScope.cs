namespace Lpp.Serving;

/// <summary>What an API key may do.</summary>
[Flags]
internal enum ApiScope
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary><c>POST /v1/route</c> and <c>POST /v1/route/batch</c>.</summary>
    Route = 1,

    /// <summary><c>GET /v1/queues/{queue}</c> and <c>POST /v1/reviews</c>.</summary>
    Review = 2,

    /// <summary><c>POST /v1/admin/model</c>.</summary>
    Admin = 4,
}
