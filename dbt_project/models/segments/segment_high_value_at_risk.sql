-- High predicted value slipping away: top CLV deciles whose P(alive) fell below a threshold.
with

clv as (

    select * from {{ ref('stg_clv__customer_clv') }}

),

members as (

    select customer_id from clv
    where
        clv_decile >= {{ var('clv_high_value_min_decile', 9) }}
        and p_alive < {{ var('clv_at_risk_p_alive', 0.5) }}

),

segment_rows as (

    {{ segment_members() }}

),

final as (

    select
        segment_rows.*,
        clv.p_alive,
        clv.clv_12m,
        cast(row_number() over (order by clv.clv_12m desc, clv.customer_id) as {{ dbt.type_int() }})
            as clv_rank

    from segment_rows
    inner join clv
        on segment_rows.customer_id = clv.customer_id

)

select * from final
