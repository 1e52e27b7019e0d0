-- For every non-cancelled order with lines: lines (quantity x unit price - line
-- discount) - refunds = the order's net sales. A warning, not an error: the
-- loader may quarantine one bad line of an order whose header loaded, and the
-- run must go on; the mismatching orders are listed for the data owner.
{{ config(severity='warn') }}
with

economics as (

    select * from {{ ref('order_economics') }}

),

final as (

    select
        order_id,
        line_net,
        refunds,
        net_revenue

    from economics
    where
        not is_cancelled
        and line_net is not null
        and line_net - refunds != net_revenue

)

select * from final
