{#
    Profit tier of a customer ranked by contribution (rank 1 = most profitable):
    top_20pct = within the top share (var top_tier_share) of all customers and
    above the break-even band; break_even = 0 <= contribution <= var
    break_even_band; unprofitable < 0; profitable otherwise.
#}
{% macro profit_tier(contribution, rank, customer_count) -%}
    case
        when {{ contribution }} < 0 then 'unprofitable'
        when {{ contribution }} <= {{ var('break_even_band') }} then 'break_even'
        when {{ rank }} <= {{ customer_count }} * {{ var('top_tier_share') }} then 'top_20pct'
        else 'profitable'
    end
{%- endmacro %}
