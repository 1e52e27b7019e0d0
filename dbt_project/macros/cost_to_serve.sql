{#
    What serving a customer cost the shop: support handling minutes and tickets
    and handled returns at the rates of vars cost_per_support_minute,
    cost_per_ticket and cost_per_return (DECISIONLOG.md "profitability"). Used for
    the lifetime and the profit-window figures alike.
#}
{% macro cost_to_serve(support_minutes, support_tickets, returns) -%}
    cast(
        {{ support_minutes }} * {{ var('cost_per_support_minute') }}
        + {{ support_tickets }} * {{ var('cost_per_ticket') }}
        + {{ returns }} * {{ var('cost_per_return') }}
        as {{ type_money() }}
    )
{%- endmacro %}
