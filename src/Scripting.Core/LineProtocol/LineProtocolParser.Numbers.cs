namespace Scripting.Core.LineProtocol;

/// <summary>Float recognition and the fast decimal path.</summary>
public sealed partial class LineProtocolParser
{
    /// <summary>Float grammar: -?digits(.digits)?([eE][+-]?digits)? — no leading '+', no bare '.', no NaN or Inf.</summary>
    private static bool IsFloat(ReadOnlySpan<byte> token)
    {
        var i = 0;
        if (i < token.Length && token[i] == (byte)'-')
        {
            i++;
        }

        var digits = CountDigits(token, ref i);
        if (digits == 0)
        {
            return false;
        }

        if (i < token.Length && token[i] == (byte)'.')
        {
            i++;
            if (CountDigits(token, ref i) == 0)
            {
                return false;
            }
        }

        if (i < token.Length && token[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < token.Length && token[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            if (CountDigits(token, ref i) == 0)
            {
                return false;
            }
        }

        return i == token.Length;
    }

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Clinger's fast path for the common case "-?digits(.digits)?" with at most 15 significant digits:
    /// the mantissa and the power of ten are both exact doubles, so one division rounds correctly.
    /// Anything else (exponents, long mantissas) goes to double.Parse.
    /// </summary>
    private static bool TryFastFloat(ReadOnlySpan<byte> token, out double value)
    {
        value = 0;
        var i = token[0] == (byte)'-' ? 1 : 0;
        long mantissa = 0;
        var digits = 0;
        var fraction = -1;
        for (; i < token.Length; i++)
        {
            var c = token[i];
            if (c == (byte)'.')
            {
                fraction = 0;
                continue;
            }

            if (c - (byte)'0' is < 0 or > 9 || ++digits > 15)
            {
                return false;
            }

            mantissa = (mantissa * 10) + (c - (byte)'0');
            if (fraction >= 0)
            {
                fraction++;
            }
        }

        value = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
        if (token[0] == (byte)'-')
        {
            value = -value;
        }

        return true;
    }

    private static int CountDigits(ReadOnlySpan<byte> token, ref int i)
    {
        var start = i;
        while (i < token.Length && token[i] - (byte)'0' is >= 0 and <= 9)
        {
            i++;
        }

        return i - start;
    }
}
